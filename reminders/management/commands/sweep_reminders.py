from django.core.management.base import BaseCommand
from django.db.models import Count

from reminders.kinds import Kind
from reminders.models import Reminder
from reminders.services import reminders_sweep


class Command(BaseCommand):
    help = "Run one reminder sweep now: insert the reminders due and queue their sends (for operators and tests)."

    def handle(self, *args, **options):
        result = reminders_sweep()
        self.stdout.write(f"{result.created} new reminders; queued {len(result.queued)} to send")
        by_kind = Reminder.objects.filter(pk__in=result.queued).values("kind").annotate(n=Count("pk")).order_by("kind")
        for row in by_kind:
            self.stdout.write(f"  {row['n']} × {Kind(row['kind']).label}")
