"""Recording, dispatching and running outbox messages."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerUnreachable

from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long the after-commit hand-over has before the relay takes the message.
RELAY_GRACE = timedelta(seconds=10)


def enqueue(target: str, *args, **kwargs) -> OutboxMessage:
    """Record `target(*args, **kwargs)` to run after the current transaction commits.

    `target` is the dotted path of a callable (a plain function, a Celery task or a
    django-tasks Task). Arguments must be JSON-serialisable. Nothing is recorded, and nothing
    runs, if the surrounding transaction rolls back.
    """
    message = OutboxMessage.objects.create(
        target=target,
        args=list(args),
        kwargs=kwargs,
        available_at=timezone.now() + RELAY_GRACE,
    )
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def enqueue_later(target: str, *args, delay: timedelta, **kwargs) -> OutboxMessage:
    """Record `target(*args, **kwargs)` to run once `delay` has passed: the relay hands it
    to Celery when it is due (throttled work continues this way, never by sleeping).
    Nothing is recorded if the surrounding transaction rolls back."""
    return OutboxMessage.objects.create(
        target=target, args=list(args), kwargs=kwargs, available_at=timezone.now() + delay
    )


class _BrokerBreaker:
    """After a failed hand-over, this process leaves the broker alone for a few seconds: the
    relay delivers what waits, and no request pays for a connection attempt meanwhile."""

    retry_seconds = 5.0

    def __init__(self):
        self.down_until = 0.0

    def open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self) -> bool:
        """Marks the broker down; True if it was up (the first failure of an outage)."""
        was_up = not self.open()
        self.down_until = time.monotonic() + self.retry_seconds
        return was_up


BROKER = _BrokerBreaker()


def dispatch(message_id: int) -> bool:
    """Hand a recorded message to Celery. Never raises: a broker outage only delays the work.

    A failed hand-over leaves the message due at once, so the relay sends it as soon as the
    broker is back (not after the redelivery lease); for a few seconds after a failure this
    process does not try at all.
    """
    from .tasks import deliver

    if BROKER.open():
        return False
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER_SECONDS)
    try:
        OutboxMessage.objects.filter(pk=message_id).update(
            dispatched_at=now, available_at=now + lease
        )
        deliver.apply_async(args=[message_id], retry=False)
    except BrokerUnreachable:
        if BROKER.trip():
            logger.warning(
                "outbox dispatch failed: the relay will deliver",
                extra={"message_id": message_id},
                exc_info=True,
            )
        try:
            OutboxMessage.objects.filter(pk=message_id).update(available_at=now)
        except Exception:  # the database is what failed: the lease expires on its own
            logger.warning("outbox: could not release message", extra={"message_id": message_id})
        return False
    except Exception:  # the database, or (eager mode) the job itself, which recorded it
        logger.warning("outbox dispatch failed", extra={"message_id": message_id}, exc_info=True)
        return False
    return True


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(15 * 2 ** max(attempts - 1, 0), 3600))


def run(message_id: int) -> bool:
    """Run one message's target unless it already completed or was given up. True if it ran.

    Idempotent on `message_id`: a completed message is not run again. A failure is recorded
    on the message (error, back-off for the relay, given up after MAX_ATTEMPTS) and re-raised.
    """
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or not message.is_pending:
        return False
    attempts = message.attempts + 1
    OutboxMessage.objects.filter(pk=message_id).update(attempts=attempts)
    try:
        call(message.target, message.args, message.kwargs)
    except Exception as exc:
        now = timezone.now()
        OutboxMessage.objects.filter(pk=message_id).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            available_at=now + backoff(attempts),
            failed_at=now if attempts >= MAX_ATTEMPTS else None,
        )
        logger.exception(
            "outbox job failed",
            extra={"message_id": message_id, "target": message.target, "attempts": attempts},
        )
        raise
    OutboxMessage.objects.filter(pk=message_id).update(completed_at=timezone.now(), last_error="")
    return True


def call(target: str, args: list, kwargs: dict):
    func = import_string(target)
    # django-tasks Task objects (Wagtail's background work) expose the function as `.call`.
    runner = getattr(func, "call", None) or func
    return runner(*args, **kwargs)


def relay(limit: int = 500) -> int:
    """Dispatch pending messages that are due: lost hand-overs, expired leases, retries.

    Safe to run on several hosts at once: each due message is claimed (its lease taken, in one
    transaction that skips rows another relay holds) by exactly one relay before it is handed
    over, so concurrent relays never hand the same message to Celery twice. Returns how many
    it dispatched.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxMessage.objects.filter(
                completed_at__isnull=True, failed_at__isnull=True, available_at__lte=now
            )
            .order_by("available_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        lease = timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER_SECONDS)
        OutboxMessage.objects.filter(pk__in=due).update(available_at=now + lease)
    return sum(dispatch(pk) for pk in due)
