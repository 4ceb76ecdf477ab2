"""Reminding judges of unscored work by e-mail, through the outbox (after commit)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from outbox.services import enqueue

from .models import Assignment, JudgingRound, Score


def judges_with_unscored_work(round: JudgingRound) -> list[int]:
    return list(
        Assignment.objects.filter(round=round)
        .exclude(score__status=Score.Status.SUBMITTED)
        .values_list("judge_id", flat=True)
        .distinct()
        .order_by("judge_id")
    )


def remind_judges(round: JudgingRound) -> int:
    """Records one reminder per judge with unscored work (sent after commit); returns how
    many. Judges who finished get nothing."""
    judges = judges_with_unscored_work(round)
    for judge_id in judges:
        enqueue("competitions.judging.reminders.send_reminder", round.pk, judge_id)
    return len(judges)


def send_reminder(round_id: int, judge_id: int) -> bool:
    """Sends the reminder if the judge still has unscored work and an e-mail address."""
    open_work = (
        Assignment.objects.filter(round_id=round_id, judge_id=judge_id)
        .exclude(score__status=Score.Status.SUBMITTED)
        .select_related("judge", "round__contest")
    )
    first = open_work.first()
    if first is None or not first.judge.email:
        return False
    count = open_work.count()
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("judging:queue")
    send_mail(
        _("Reminder: %(count)s entries are waiting for your scores") % {"count": count},
        _("%(contest)s · %(round)s: %(count)s entries are waiting for your scores.\n%(link)s")
        % {
            "contest": first.round.contest.title,
            "round": first.round.name,
            "count": count,
            "link": link,
        },
        None,
        [first.judge.email],
    )
    return True
