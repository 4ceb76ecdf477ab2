"""Celery tasks of the content app: thin wrappers around the services in this package.

Each section below belongs to one concept (pages, video, reach); keep them idempotent.
"""

from celery import shared_task  # noqa: F401
