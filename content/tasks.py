"""Celery tasks of the content app: thin wrappers around the services in this package.

Each section below belongs to one concept (pages, video, reach); keep them idempotent.
"""

from celery import shared_task

# --- pages --------------------------------------------------------------------------------


@shared_task(name="content.publish_scheduled")
def publish_scheduled() -> None:
    """Publishes pages whose scheduled time has come and unpublishes expired ones."""
    from django.core.management import call_command

    call_command("publish_scheduled")
