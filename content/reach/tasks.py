"""Celery tasks of the reach features: thin wrappers around their services."""

from celery import shared_task

from . import view_counts


@shared_task(name="content.flush_view_counts", ignore_result=True)
def flush_view_counts() -> int:
    """Moves cached page view counts into the database (see view_counts.py)."""
    return view_counts.flush_view_counts().views
