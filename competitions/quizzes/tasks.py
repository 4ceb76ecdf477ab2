"""Celery tasks of the quizzes app: thin wrappers around its services."""

from celery import shared_task

from outbox.jobs import job

from . import attempts
from .item_analysis import counters
from .statistics import exports

# --- attempts -----------------------------------------------------------------------------


@shared_task(name="quizzes.finalize_expired_attempts")
def finalize_expired_attempts() -> int:
    """Scores attempts whose time ran out without a submit (answers saved in time count),
    then counts any finished attempts the item counters still wait for (behind the outbox
    messages that normally do it: see item_analysis/counters.py)."""
    finalized = attempts.finalize_expired()
    counters.count_all_pending()
    return finalized


# --- statistics and exports -------------------------------------------------------------------


@shared_task(name="quizzes.build_export")
@job("quizzes.build_export")
def build_quiz_export(export_id: int) -> str:
    """Build a requested .xlsx export (statistics/exports.py: build_export; idempotent)."""
    return exports.build_export(export_id)


@shared_task(name="quizzes.delete_expired_exports")
def delete_expired_quiz_exports() -> int:
    """Delete exports older than KEPU_QUIZ_EXPORT_KEEP_DAYS (run by Celery beat)."""
    return exports.delete_expired_exports()
