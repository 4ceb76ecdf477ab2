"""Recording, dispatching and running outbox messages.

Messages name their job (outbox/jobs.py); this module hands them to Celery's `outbox.deliver`
task by that task's name and never imports outbox/tasks.py, which is built on it.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from . import jobs
from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# How long the after-commit hand-over has before the relay takes the message.
RELAY_GRACE = timedelta(seconds=10)
# The Celery task that runs one message (outbox/tasks.py), by its registered name.
DELIVER_TASK = "outbox.deliver"


def enqueue(job: str, /, *args, **kwargs) -> OutboxMessage:
    """Record a run of the job named `job` with these arguments, after the current
    transaction commits.

    `job` is a name registered with `@outbox.jobs.job` (UnknownJob otherwise, before anything
    is recorded). Arguments must be JSON-serialisable. Nothing is recorded, and nothing runs,
    if the surrounding transaction rolls back.
    """
    message = OutboxMessage.objects.create(
        target=jobs.require(job),
        args=list(args),
        kwargs=kwargs,
        available_at=timezone.now() + RELAY_GRACE,
    )
    transaction.on_commit(lambda: dispatch(message.pk))
    return message


def enqueue_later(job: str, /, *args, delay: timedelta, **kwargs) -> OutboxMessage:
    """Record a run of the job named `job` once `delay` has passed: the relay hands it to
    Celery when it is due (throttled work continues this way, never by sleeping).
    Nothing is recorded if the surrounding transaction rolls back."""
    available_at = timezone.now() + delay
    return OutboxMessage.objects.create(
        target=jobs.require(job), args=list(args), kwargs=kwargs, available_at=available_at
    )


def enqueue_coalesced(job: str, /, *args, delay: timedelta, margin: timedelta) -> None:
    """Make sure a run of the job named `job` with these arguments starts after the current
    transaction commits: record one due in `delay` (for the relay), unless an identical one
    is already waiting, never handed over, and due no sooner than `margin` from now.

    For jobs that do everything outstanding when they run (they read what to do from the
    database), so many callers within a few seconds need one run. Correct when the caller's
    transaction commits within `margin`: call it as the transaction's last statement. One
    statement (an INSERT … WHERE NOT EXISTS on the pending messages' index); nothing is
    recorded if the transaction rolls back.
    """
    jobs.require(job)
    now = timezone.now()
    field = {f.name: f for f in OutboxMessage._meta.concrete_fields}

    def prep(name, value):
        return field[name].get_db_prep_save(value, connection)

    arguments = prep("args", list(args))
    with connection.cursor() as cursor:
        cursor.execute(
            _COALESCED_INSERT,
            [
                job,
                arguments,
                prep("kwargs", {}),
                prep("created_at", now),
                prep("available_at", now + delay),
                prep("available_at", now + margin),
                prep("available_at", now + delay),
                job,
                arguments,
            ],
        )


_COALESCED_INSERT = (
    f"INSERT INTO {OutboxMessage._meta.db_table} "  # noqa: S608
    "(target, args, kwargs, created_at, available_at, attempts, last_error) "
    "SELECT %s, %s, %s, %s, %s, 0, '' WHERE NOT EXISTS ("
    f"SELECT 1 FROM {OutboxMessage._meta.db_table} WHERE completed_at IS NULL "
    "AND failed_at IS NULL AND dispatched_at IS NULL AND attempts = 0 "
    "AND available_at > %s AND available_at <= %s AND target = %s AND args = %s)"
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
    if BROKER.open():
        return False
    now = timezone.now()
    lease = timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER_SECONDS)
    try:
        OutboxMessage.objects.filter(pk=message_id).update(
            dispatched_at=now, available_at=now + lease
        )
        current_app.tasks[DELIVER_TASK].apply_async(args=[message_id], retry=False)
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
    """Run one message's job unless it already completed or was given up. True if it ran.

    Idempotent on `message_id`: a completed message is not run again. A failure, a name no
    job is registered under included, is recorded on the message (error, back-off for the
    relay, given up after MAX_ATTEMPTS) and re-raised.
    """
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None or not message.is_pending:
        return False
    attempts = message.attempts + 1
    OutboxMessage.objects.filter(pk=message_id).update(attempts=attempts)
    try:
        jobs.get(message.target)(*message.args, **message.kwargs)
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
