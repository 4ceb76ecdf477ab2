"""Reminding judges of unscored work by e-mail and text message (notifications/), through
the outbox (after commit).

An organiser can remind a judge at most once per round within
`KEPU_JUDGE_REMINDER_INTERVAL_HOURS` (default 24): every reminder is recorded
(JudgeReminder) and a judge reminded within the interval is skipped.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.public_url import public_url
from notifications.services import Message, notify
from outbox.services import enqueue

from .models import Assignment, JudgeReminder, JudgingRound, Score

SEND_TARGET = "competitions.judging.reminders.send_reminder"


@dataclass
class ReminderOutcome:
    """Judges (user ids) reminded now, and those skipped because they were reminded less
    than the interval ago, with the moment they may be reminded again."""

    reminded: list[int] = field(default_factory=list)
    too_soon: dict[int, datetime.datetime] = field(default_factory=dict)


def reminder_interval() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.KEPU_JUDGE_REMINDER_INTERVAL_HOURS)


def last_reminders(round: JudgingRound) -> dict[int, datetime.datetime]:
    """When each judge of the round was last reminded."""
    last: dict[int, datetime.datetime] = {}
    for judge_id, sent_at in JudgeReminder.objects.filter(round=round).values_list(
        "judge_id", "sent_at"
    ):
        if judge_id not in last or sent_at > last[judge_id]:
            last[judge_id] = sent_at
    return last


def judges_with_unscored_work(round: JudgingRound) -> list[int]:
    return list(
        Assignment.objects.filter(round=round)
        .exclude(score__status=Score.Status.SUBMITTED)
        .values_list("judge_id", flat=True)
        .distinct()
        .order_by("judge_id")
    )


@transaction.atomic
def remind_judges(
    round: JudgingRound,
    *,
    judge_ids: list[int] | None = None,
    by=None,
    now: datetime.datetime | None = None,
) -> ReminderOutcome:
    """Records one reminder per judge with unscored work (all of them, or those in
    `judge_ids`), sent after commit.

    Guarantees: judges who finished get nothing; a judge reminded in this round less than
    the interval ago gets nothing and is listed in `too_soon`; concurrent clicks are
    serialised on the round's row, so a double click sends one reminder.
    """
    now = now or timezone.now()
    JudgingRound.objects.select_for_update().filter(pk=round.pk).first()
    judges = judges_with_unscored_work(round)
    if judge_ids is not None:
        judges = [judge_id for judge_id in judges if judge_id in set(judge_ids)]
    interval = reminder_interval()
    last = last_reminders(round)
    outcome = ReminderOutcome()
    for judge_id in judges:
        previous = last.get(judge_id)
        if previous is not None and now - previous < interval:
            outcome.too_soon[judge_id] = previous + interval
            continue
        JudgeReminder.objects.create(round=round, judge_id=judge_id, sent_by=by, sent_at=now)
        enqueue(SEND_TARGET, round.pk, judge_id)
        outcome.reminded.append(judge_id)
    return outcome


def send_reminder(round_id: int, judge_id: int) -> bool:
    """Tells the judge how many entries wait for their scores, by e-mail and, with a
    verified mobile number, by text message; nothing when they have finished meanwhile.

    Idempotent per recorded reminder (JudgeReminder): delivered again, it sends nothing new.
    """
    open_work = (
        Assignment.objects.filter(round_id=round_id, judge_id=judge_id)
        .exclude(score__status=Score.Status.SUBMITTED)
        .select_related("judge", "round__contest")
    )
    first = open_work.first()
    if first is None:
        return False
    reminder = (
        JudgeReminder.objects.filter(round_id=round_id, judge_id=judge_id)
        .order_by("-sent_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    params = {
        "contest": first.round.contest.title,
        "count": open_work.count(),
        "link": public_url(reverse("judging:queue")),
    }
    text = _(
        "[%(site)s] %(contest)s · %(round)s: %(count)s entries are waiting for your scores.\n"
        "%(link)s"
    ) % {"site": settings.WAGTAIL_SITE_NAME, "round": first.round.name, **params}
    message = Message(
        user=first.judge,
        kind="judge_reminder",
        key=f"round:{round_id}:reminder:{reminder}",
        subject=_("Reminder: %(count)s entries are waiting for your scores") % params,
        text=text,
        params=params,
    )
    return notify([message]) > 0
