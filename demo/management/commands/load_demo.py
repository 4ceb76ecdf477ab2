"""Builds a believable demo site. Idempotent: running it again changes nothing."""

import logging

from django.core.management.base import BaseCommand

from demo.loading import load_demo

# Per-page and per-task INFO lines would bury the summary below.
QUIET_LOGGERS = ("wagtail", "celery")


class Command(BaseCommand):
    help = "Create demo content (sections, articles, videos, topics, a campaign). Safe to rerun."

    def handle(self, *args, **options):
        levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            report = load_demo()
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
        for line in report:
            self.stdout.write(line)
