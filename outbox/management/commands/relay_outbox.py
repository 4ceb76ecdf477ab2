from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = "Hand over outbox messages whose after-commit dispatch was lost."

    def handle(self, *args, **options):
        count = services.relay()
        self.stdout.write(f"dispatched {count} message(s)")
