"""Celery tasks of the quizzes app: thin wrappers around its services."""

from celery import shared_task

# --- attempts -----------------------------------------------------------------------------


@shared_task(name="quizzes.finalize_expired_attempts")
def finalize_expired_attempts() -> int:
    """Scores attempts whose time ran out without a submit (answers saved in time count)."""
    from .attempts import finalize_expired

    return finalize_expired()
