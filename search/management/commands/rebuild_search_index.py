"""Rebuilds the whole search index from the database (the index is derived, DESIGN.md rule 1)."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.backends.base import SearchBackendError


class Command(BaseCommand):
    help = "Rebuild the search index from every public page, topic and exhibited work."

    def add_arguments(self, parser):
        parser.add_argument(
            "--backend",
            default=None,
            help="Backend name (default: the configured one, e.g. 'embedded').",
        )

    def handle(self, *args, backend=None, **options):
        from search.backends import get_backend

        started = time.monotonic()
        try:
            target = get_backend(backend) if backend else get_backend()
            self.stdout.write(f"Rebuilding the {target.name} search index…")
            count = indexing.rebuild(
                target, progress=lambda n: self.stdout.write(f"  {n} documents")
            )
        except SearchBackendError as exc:
            raise CommandError(f"The search backend failed: {exc}") from exc
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} documents in {seconds:.1f} s."))
