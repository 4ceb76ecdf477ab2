"""System check: every pending outbox message names a job this code registers.

A database check (`manage.py check --database default`, and `migrate` before it migrates):
it reads the pending messages, which the partial index `outbox_pending_idx` covers. Until the
outbox's own migrations are applied it stays silent, since those rename stored messages.
"""

from django.core import checks
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count

from . import jobs
from .models import OutboxMessage


def _outbox_migrated(alias: str) -> bool:
    executor = MigrationExecutor(connections[alias])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes("outbox"))


@checks.register(checks.Tags.database)
def check_pending_jobs_are_registered(app_configs=None, databases=None, **kwargs):
    """outbox.E001 for each job name that pending messages carry but no job is registered
    under (they would fail on every attempt, then be given up)."""
    errors = []
    for alias in databases or ():
        if not _outbox_migrated(alias):
            continue
        pending = (
            OutboxMessage.objects.using(alias)
            .filter(completed_at__isnull=True, failed_at__isnull=True)
            .values("target")
            .annotate(count=Count("pk"))
            .order_by("target")
        )
        for row in pending:
            if not jobs.resolves(row["target"]):
                errors.append(
                    checks.Error(
                        f"{row['count']} pending background job(s) name {row['target']!r}, "
                        "which no job is registered as.",
                        hint="Register a function under that name with @outbox.jobs.job, or "
                        "rename the stored messages in a data migration "
                        "(outbox/migrations/0002_job_names.py).",
                        obj=OutboxMessage,
                        id="outbox.E001",
                    )
                )
    return errors
