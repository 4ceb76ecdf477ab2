"""Friendly reminders to readers who keep a book past the reading period.

A holding is the catch step of the copy's current reader. It is overdue once
`reading_days` have passed since the catch; from then on the reader is reminded at most once
every `reminder_interval_days`. Each reminder of a holding has its number (`period`: 0, 1,
2 …), unique per holding in the database, so two runs at the same moment (the daily task
and an organiser's button) cannot both send one; and a reminder is only written when the
holding's last one is at least the interval old. Reminders go through the outbox after the
commit: by text message to a verified phone, else as a message on the reader's drift page.
Anonymous holders cannot be reminded (nobody to write to); organisers see them as such.
"""

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.sms import SMSRateLimited, send_sms
from kepu.public_url import public_url
from outbox.services import enqueue

from .models import BookCopy, DriftCampaign, DriftReminder, JourneyStep, ReaderNotice

SEND_TARGET = "competitions.bookdrift.reminders.send_reminder"


@dataclass
class ReminderOutcome:
    """Copies whose reader was reminded now; skipped because reminded within the interval
    (with when they may be reminded next); held by anonymous readers (cannot be reminded)."""

    reminded: list[int] = field(default_factory=list)
    too_soon: dict[int, datetime.date] = field(default_factory=dict)
    anonymous: list[int] = field(default_factory=list)


def _today(now: datetime.datetime) -> datetime.date:
    return timezone.localtime(now).date()


def overdue_copies(campaign: DriftCampaign, now: datetime.datetime | None = None):
    """Copies being read longer than the reading period, with their catch step."""
    now = now or timezone.now()
    return BookCopy.objects.filter(
        campaign=campaign,
        state=BookCopy.State.READING,
        moved_at__lt=now - campaign.reading_period,
    ).select_related("book", "holder")


def _current_catch(copy: BookCopy) -> JourneyStep | None:
    return (
        copy.steps.filter(sequence=copy.steps_count, kind=JourneyStep.Kind.CATCH)
        .only("pk", "created_at", "reader_id")
        .first()
    )


def remind_overdue(
    campaign: DriftCampaign, *, by=None, now: datetime.datetime | None = None
) -> ReminderOutcome:
    """Records one reminder per overdue signed-in holder not reminded in the current
    period, each sent after commit. Guarantees: at most one reminder per holding and
    period (a constraint; a concurrent run adds nothing); anonymous holders are listed,
    not reminded; nothing is sent outside the campaign's dates."""
    now = now or timezone.now()
    outcome = ReminderOutcome()
    if not campaign.is_running(_today(now)):
        return outcome
    interval = datetime.timedelta(days=campaign.reminder_interval_days)
    for copy in overdue_copies(campaign, now):
        catch = _current_catch(copy)
        if catch is None:
            continue
        if catch.reader_id is None:
            outcome.anonymous.append(copy.pk)
            continue
        last = DriftReminder.objects.filter(catch=catch).order_by("-created_at").first()
        if last is not None and now - last.created_at < interval:
            outcome.too_soon[copy.pk] = _today(last.created_at + interval)
            continue
        channel = (
            DriftReminder.Channel.SMS
            if copy.holder and copy.holder.phone and copy.holder.phone_verified
            else DriftReminder.Channel.SITE
        )
        try:
            with transaction.atomic():
                reminder = DriftReminder.objects.create(
                    copy=copy,
                    catch=catch,
                    reader_id=catch.reader_id,
                    period=DriftReminder.objects.filter(catch=catch).count(),
                    channel=channel,
                    requested_by=by,
                    created_at=now,
                )
                enqueue(SEND_TARGET, reminder.pk)
        except IntegrityError:
            # Another run reminded this reader at the same moment.
            outcome.too_soon[copy.pk] = _today(now + interval)
            continue
        outcome.reminded.append(copy.pk)
    return outcome


def reminder_params(reminder: DriftReminder) -> dict:
    """What a reminder says, as the SMS template kind "drift_reminder" takes it: the book,
    the days read, the copy's page at the public address."""
    copy = reminder.copy
    return {
        "title": copy.book.title,
        "days": (_today(reminder.created_at) - _today(reminder.catch.created_at)).days,
        "link": public_url(reverse("bookdrift:copy", args=[copy.code])),
    }


def reminder_text(reminder: DriftReminder) -> str:
    """The reminder's words (site message, and the text where no template is needed)."""
    return _(
        "You have been reading “%(title)s” for %(days)s days. When you have finished, please "
        "release it for the next reader: %(link)s"
    ) % reminder_params(reminder)


def send_reminder(reminder_id: int) -> bool:
    """Delivers a recorded reminder, unless the book moved on since (then it is marked
    skipped). Idempotent: a sent or skipped reminder is not sent again. A text message
    refused by the per-phone limit becomes a site message."""
    reminder = (
        DriftReminder.objects.select_related("copy__book", "catch", "reader")
        .filter(pk=reminder_id, status=DriftReminder.Status.QUEUED)
        .first()
    )
    if reminder is None:
        return False
    copy = reminder.copy
    if copy.state != BookCopy.State.READING or copy.steps_count != reminder.catch.sequence:
        DriftReminder.objects.filter(pk=reminder.pk).update(status=DriftReminder.Status.SKIPPED)
        return False
    text = reminder_text(reminder)
    channel = reminder.channel
    if channel == DriftReminder.Channel.SMS:
        try:
            send_sms(
                reminder.reader.phone,
                text,
                template="drift_reminder",
                params=reminder_params(reminder),
            )
        except SMSRateLimited:
            channel = DriftReminder.Channel.SITE
    now = timezone.now()
    with transaction.atomic():
        if channel == DriftReminder.Channel.SITE:
            ReaderNotice.objects.get_or_create(
                reminder=reminder,
                defaults={
                    "reader": reminder.reader,
                    "kind": ReaderNotice.Kind.REMINDER,
                    "copy": copy,
                    "text": text,
                    "created_at": now,
                },
            )
        DriftReminder.objects.filter(pk=reminder.pk).update(
            status=DriftReminder.Status.SENT, channel=channel, sent_at=now
        )
    return True


def remind_all_campaigns(now: datetime.datetime | None = None) -> int:
    """The daily task: reminders for every running campaign. Returns how many were sent."""
    now = now or timezone.now()
    today = _today(now)
    total = 0
    for campaign in DriftCampaign.objects.filter(starts_on__lte=today, ends_on__gte=today):
        total += len(remind_overdue(campaign, now=now).reminded)
    return total
