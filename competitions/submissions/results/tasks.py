"""The contest export's background jobs: building one, deleting old ones."""

from celery import shared_task

from outbox.jobs import job

from .exports import BUILD_TARGET, build_export, delete_expired_exports


@shared_task(name="submissions.build_contest_export")
@job(BUILD_TARGET)
def build_contest_export(export_id: int) -> str:
    """Build a requested contest .xlsx export (exports.build_export; idempotent)."""
    return build_export(export_id)


@shared_task(name="submissions.delete_expired_contest_exports")
def delete_expired_contest_exports() -> int:
    """Delete exports older than KEPU_CONTEST_EXPORT_KEEP_DAYS (run by Celery beat)."""
    return delete_expired_exports()
