"""Publishes a contest's awards from its last judging round and its valid votes."""

from django.core.management.base import BaseCommand, CommandError

from competitions.submissions.models import Contest
from competitions.submissions.results.sources import NotReadyToPublish, publish_contest_results


class Command(BaseCommand):
    help = "Compute and publish a contest's awards (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("contest_id", type=int)

    def handle(self, *args, contest_id, **options):
        contest = Contest.objects.filter(pk=contest_id).first()
        if contest is None:
            raise CommandError(f"No contest {contest_id}.")
        try:
            awards = publish_contest_results(contest)
        except NotReadyToPublish as refusal:
            raise CommandError(" ".join(refusal.problems)) from refusal
        self.stdout.write(f"{len(awards)} awards published for {contest}")
