"""Celery tasks of the submissions app: thin wrappers around its services."""

# --- contest exports: competitions/submissions/contest_exports.py ----------------------------
from celery import shared_task

from outbox.jobs import job


@shared_task(name="submissions.build_contest_export")
@job("submissions.build_contest_export")
def build_contest_export(export_id: int) -> str:
    """Build a requested contest .xlsx export (contest_exports.build_export; idempotent)."""
    from .contest_exports import build_export

    return build_export(export_id)
