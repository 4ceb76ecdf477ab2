"""Telling people by text message and e-mail, after the commit and at a bounded pace.

`notify()` records one Notification per channel the person can be reached on (a verified
mobile number: a text; an e-mail address: an e-mail) in the caller's transaction and asks
the outbox to deliver them. `deliver_pending()` (the outbox target) sends what is waiting,
oldest first, at most `KEPU_NOTIFY_SMS_PER_MINUTE` texts and `KEPU_NOTIFY_EMAILS_PER_MINUTE`
e-mails a minute across all workers (gateways throttle senders, and a draw with 500 winners
must not hit that wall); what is left waits for the next minute through
`outbox.services.enqueue_later`, never by sleeping in a worker or a request.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.sms import SMSRateLimited, send_sms
from accounts.sms_providers import SMSSendingFailed
from kepu import ratelimit
from outbox.models import OutboxMessage
from outbox.services import enqueue, enqueue_later

from .models import Notification

logger = logging.getLogger(__name__)

DELIVER_TARGET = "notifications.services.deliver_pending"
# A notification claimed by a worker that died is sent again after this long.
CLAIM_TIMEOUT = timedelta(minutes=10)
# Transient failures (a gateway unreachable) are retried this many times.
MAX_ATTEMPTS = 5


@dataclass
class Message:
    """What to tell one person: `text` for both channels, `subject` for e-mail, `params`
    for SMS gateways' templates of `kind`."""

    user: object
    kind: str
    key: str
    subject: str
    text: str
    params: dict = field(default_factory=dict)


def channels_for(user) -> list[str]:
    channels = []
    if user.phone and user.phone_verified:
        channels.append(Notification.Channel.SMS)
    if user.email:
        channels.append(Notification.Channel.EMAIL)
    return channels


@transaction.atomic
def notify(messages: list[Message]) -> int:
    """Records a notification per message and channel and queues their delivery.

    Guarantees: idempotent per (person, channel, kind, key) — a message already recorded is
    not recorded or sent again; nothing is sent before the caller's transaction commits, and
    nothing at all if it rolls back. Returns how many notifications were recorded.
    """
    created = 0
    for message in messages:
        for channel in channels_for(message.user):
            try:
                with transaction.atomic():
                    _notification, new = Notification.objects.get_or_create(
                        user=message.user,
                        channel=channel,
                        kind=message.kind,
                        key=message.key,
                        defaults={
                            "subject": message.subject,
                            "text": message.text,
                            "params": message.params,
                        },
                    )
            except IntegrityError:  # recorded by a concurrent call: theirs counts
                new = False
            created += new
    if created:
        enqueue(DELIVER_TARGET)
    return created


def deliver_pending(now=None) -> int:
    """Sends waiting notifications within this minute's quotas; returns how many were sent.

    Idempotent and safe to run in parallel: each notification is claimed by one run with a
    conditional update before it is sent, and marked sent or failed afterwards. When the
    quota is used up with notifications still waiting, one continuation is queued for the
    next minute.
    """
    now = now or timezone.now()
    Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(status=Notification.Status.PENDING)
    minute = int(now.timestamp() // 60)
    limits = {
        Notification.Channel.SMS: settings.KEPU_NOTIFY_SMS_PER_MINUTE,
        Notification.Channel.EMAIL: settings.KEPU_NOTIFY_EMAILS_PER_MINUTE,
    }
    exhausted: set[str] = set()
    sent = 0
    while len(exhausted) < len(limits):
        waiting = Notification.objects.filter(status=Notification.Status.PENDING).exclude(
            channel__in=exhausted
        )
        notification = waiting.order_by("created_at", "pk").first()
        if notification is None:
            break
        channel = notification.channel
        if ratelimit.increment(f"notify-{channel}", str(minute), 120) > limits[channel]:
            exhausted.add(channel)
            continue
        claimed = Notification.objects.filter(
            pk=notification.pk, status=Notification.Status.PENDING
        ).update(status=Notification.Status.SENDING, claimed_at=timezone.now())
        if not claimed:
            continue
        status = _send(notification)
        sent += status == Notification.Status.SENT
        if status == Notification.Status.PENDING:  # the gateway is unreachable: later
            exhausted.add(channel)
    if exhausted and Notification.objects.filter(status=Notification.Status.PENDING).exists():
        _continue_next_minute(now)
    return sent


def _send(notification: Notification) -> str:
    user = notification.user
    status, error = Notification.Status.SENT, ""
    try:
        if notification.channel == Notification.Channel.SMS:
            send_sms(
                user.phone,
                notification.text,
                template=notification.kind,
                params=notification.params,
            )
        else:
            send_mail(notification.subject, notification.text, None, [user.email])
    except SMSRateLimited:
        status, error = Notification.Status.FAILED, "rate_limited"
    except (SMSSendingFailed, OSError) as failure:
        transient = getattr(failure, "code", "unreachable") == "unreachable"
        if transient and notification.attempts + 1 < MAX_ATTEMPTS:
            status = Notification.Status.PENDING
        else:
            status = Notification.Status.FAILED
        error = str(failure)[:200]
    except ImproperlyConfigured as failure:
        status, error = Notification.Status.FAILED, str(failure)[:200]
    Notification.objects.filter(pk=notification.pk).update(
        status=status,
        error=error,
        attempts=notification.attempts + 1,
        sent_at=timezone.now() if status == Notification.Status.SENT else None,
    )
    if error:
        logger.warning(
            "notification not sent",
            extra={"notification_id": notification.pk, "kind": notification.kind, "error": error},
        )
    return status


def _continue_next_minute(now) -> None:
    """Queues one continuation at the start of the next minute, unless one is waiting."""
    waiting = OutboxMessage.objects.filter(
        target=DELIVER_TARGET,
        dispatched_at__isnull=True,
        completed_at__isnull=True,
        failed_at__isnull=True,
        available_at__gt=timezone.now(),
    )
    if not waiting.exists():
        enqueue_later(DELIVER_TARGET, delay=timedelta(seconds=61 - now.timestamp() % 60))


def outcome(kind: str, keys: list[str]) -> dict[str, int]:
    """How the notifications of `kind` for `keys` fared: counts per status."""
    counts = dict.fromkeys(Notification.Status.values, 0)
    rows = Notification.objects.filter(kind=kind, key__in=keys).values_list("status", flat=True)
    for status in rows:
        counts[status] += 1
    return counts
