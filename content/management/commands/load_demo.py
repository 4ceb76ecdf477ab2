"""Builds a believable demo site. Idempotent: running it again changes nothing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from content import demo


class Command(BaseCommand):
    help = "Create demo content (home page, organiser details). Safe to run repeatedly."

    def handle(self, *args, **options):
        with transaction.atomic():
            report = demo.load()
        for line in report:
            self.stdout.write(line)
