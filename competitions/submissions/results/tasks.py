"""The contest export's background job: a thin wrapper around exports.build_export."""

from celery import shared_task

from outbox.jobs import job

from .exports import BUILD_TARGET, build_export


@shared_task(name="submissions.build_contest_export")
@job(BUILD_TARGET)
def build_contest_export(export_id: int) -> str:
    """Build a requested contest .xlsx export (exports.build_export; idempotent)."""
    return build_export(export_id)
