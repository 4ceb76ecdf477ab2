"""Builds a believable demo site. Idempotent: running it again changes nothing."""

import logging

from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail import hooks

from content import demo
from content.sites import follow_public_address
from kepu.public_url import public_base_url

# Per-page and per-task INFO lines would bury the summary below.
QUIET_LOGGERS = ("wagtail", "celery")


class Command(BaseCommand):
    help = "Create demo content (sections, articles, videos, topics, a campaign). Safe to rerun."

    def handle(self, *args, **options):
        levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        try:
            with transaction.atomic():
                report = demo.load()
                # Other apps add their demo content (quizzes, contests) through this hook.
                home = demo.ensure_home_page()[0]
                for load_more in hooks.get_hooks("kepu_load_demo"):
                    load_more(home, report)
                if follow_public_address():
                    report.append(f"Site address: {public_base_url()}")
        finally:
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
        for line in report:
            self.stdout.write(line)
