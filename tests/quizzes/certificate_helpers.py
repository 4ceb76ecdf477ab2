"""Signed-in participants' finished attempts, for the certificate tests."""

import datetime
import itertools

import zxingcpp
from django.utils import timezone

from tests.factories.quizzes import FinishedAttemptFactory

# Attempts of one participant on one day need distinct numbers (a database constraint).
_day_numbers = itertools.count(1)


def finished_attempt(user, quiz=None, score=5, max_score=5, minutes_ago=10, **kwargs):
    """A finished attempt of `user` (in `quiz`, or a new quiz), submitted `minutes_ago`."""
    submitted = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    fields = {
        "user": user,
        "participant_key": f"u:{user.pk}",
        "score": score,
        "max_score": max_score,
        "started_at": submitted - datetime.timedelta(minutes=3),
        "submitted_at": submitted,
        "day_number": next(_day_numbers),
        "on_leaderboard": False,
        **({"quiz": quiz} if quiz is not None else {}),
        **kwargs,
    }
    return FinishedAttemptFactory(**fields)


def decoded(image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]
