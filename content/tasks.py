"""Celery tasks of the content app: thin wrappers around the services in this package.

Each section below belongs to one concept (pages, video, reach); keep them idempotent.
"""

from celery import shared_task

from outbox.jobs import job

from .video import transcode

# --- pages --------------------------------------------------------------------------------


@shared_task(name="content.publish_scheduled")
def publish_scheduled() -> None:
    """Publishes pages whose scheduled time has come and unpublishes expired ones."""
    from django.core.management import call_command

    call_command("publish_scheduled")


# --- video ------------------------------------------------------------------------------------


@shared_task(name="content.transcode_video")
@job("content.transcode_video")
def transcode_video(video_id: int) -> str:
    """Transcode an uploaded video for phones (content.video.transcode; idempotent)."""
    return transcode(video_id)


# --- reach: view counts ---------------------------------------------------------------------


@shared_task(name="content.flush_view_counts", ignore_result=True)
def flush_view_counts() -> int:
    """Moves cached page view counts into the database (see content/view_counts.py)."""
    from .view_counts import flush_view_counts as flush

    return flush().views
