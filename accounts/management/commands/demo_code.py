from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_code


class Command(BaseCommand):
    help = "Print the demo authenticator's current security code (DEBUG installs only; see README)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code is for demo installs only (DEBUG on).")
        self.stdout.write(demo_code())
