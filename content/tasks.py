"""Celery tasks of the content pages (video and reach have their own tasks.py)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="content.publish_scheduled")
def publish_scheduled() -> None:
    """Publishes pages whose scheduled time has come and unpublishes expired ones."""
    call_command("publish_scheduled")
