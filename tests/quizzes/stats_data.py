"""Data for the statistics and export tests: attempts at given times, staff with permissions."""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission

from competitions.quizzes.models import QuizAttempt
from tests.factories.quizzes import FinishedAttemptFactory
from tests.factories.users import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def attempt_at(quiz, started_at, *, score=5, status=QuizAttempt.Status.SUBMITTED, **kwargs):
    """An attempt of `quiz` started at `started_at`, its quiz day computed as the service does
    (the Asia/Shanghai date of the start)."""
    finished = status != QuizAttempt.Status.IN_PROGRESS
    fields = {
        "quiz": quiz,
        "started_at": started_at,
        "day": started_at.astimezone(SHANGHAI).date(),
        "status": status,
        "score": score if finished else None,
        "submitted_at": started_at + datetime.timedelta(minutes=3) if finished else None,
        "duration_ms": 180_000 if finished else None,
        "max_score": 5,
        "on_leaderboard": False,
        **kwargs,
    }
    return FinishedAttemptFactory(**fields)


def staff_with(*codenames):
    """A staff user who may use the admin and holds these permissions (app_label.codename)."""
    user = UserFactory(is_staff=True)
    for name in ("wagtailadmin.access_admin", *codenames):
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
