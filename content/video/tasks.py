"""Celery task and outbox job of uploaded videos: the transcode, by its stable name."""

from celery import shared_task

from outbox.jobs import job

from .transcoding import TRANSCODE_TARGET, transcode


@shared_task(name=TRANSCODE_TARGET)
@job(TRANSCODE_TARGET)
def transcode_video(video_id: int) -> str:
    """Transcode an uploaded video for phones (transcoding.transcode; idempotent)."""
    return transcode(video_id)
