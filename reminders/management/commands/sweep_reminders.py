from django.core.management.base import BaseCommand

from reminders.services import reminders_sweep


class Command(BaseCommand):
    help = "Run one reminder sweep now: insert the reminders due and queue their sends."

    def handle(self, *args, **options):
        result = reminders_sweep()
        self.stdout.write(f"{result.created} new reminders; queued {len(result.queued)} to send")
        for reminder_id in result.queued:
            self.stdout.write(f"  queued reminder {reminder_id}")
