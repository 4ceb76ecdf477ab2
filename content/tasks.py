"""Celery tasks of the content app: thin wrappers around the services in this package.

Each section below belongs to one concept (pages, video, reach); keep them idempotent.
"""

from celery import shared_task

# --- reach: view counts ---------------------------------------------------------------------


@shared_task(name="content.flush_view_counts", ignore_result=True)
def flush_view_counts() -> int:
    """Moves cached page view counts into the database (see content/view_counts.py)."""
    from .view_counts import flush_view_counts as flush

    return flush().views
