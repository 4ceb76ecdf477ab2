"""Celery tasks of the outbox. Built on services.py, which sends `outbox.deliver` by name."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name=services.DELIVER_TASK, acks_late=True)
def deliver(message_id: int) -> bool:
    # Retries are the relay's job (with back-off recorded on the message), so a failure
    # here never blocks an eager caller with in-process retries.
    return services.run(message_id)


@shared_task(name="outbox.relay")
def relay() -> int:
    return services.relay()
