"""Quiz administration in Wagtail: each concept's admin module is imported here."""

from wagtail import hooks

# Banks, questions, quizzes and units (知识竞答 menu) with spreadsheet import/export;
# statistics and exports; prizes and the verifiable draw.
from . import (
    admin,  # noqa: F401
    prize_admin,  # noqa: F401
    stats_admin,  # noqa: F401
)


@hooks.register("kepu_load_demo")
def load_demo_quizzes(home, report):
    from .demo import load

    load(home, report)


@hooks.register("kepu_open_now")
def open_quizzes(now):
    """Quizzes open now, for the home page's first screen (content/open_now.py)."""
    from django.db.models import Min, Q
    from django.utils.translation import gettext as _

    from content.open_now import OpenItem, OpenNow, earliest_after

    from .models import QuizPage

    pages = QuizPage.objects.live().public().select_related("quiz")
    open_pages = list(
        pages.filter(quiz__opens_at__lte=now, quiz__closes_at__gt=now).order_by("quiz__closes_at")[
            :6
        ]
    )
    upcoming = pages.filter(Q(quiz__opens_at__gt=now)).aggregate(first=Min("quiz__opens_at"))
    return OpenNow(
        items=[
            OpenItem(
                kind=_("Quiz"),
                title=page.title,
                url=page.url,
                action=_("Take the quiz"),
                until=page.quiz.closes_at,
            )
            for page in open_pages
        ],
        next_change=earliest_after(
            now, [upcoming["first"], *(page.quiz.closes_at for page in open_pages)]
        ),
    )
