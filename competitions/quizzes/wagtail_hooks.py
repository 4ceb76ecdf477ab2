"""Quiz administration in Wagtail: each concept's viewsets module is imported here."""

from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from accounts.my_page import ITEMS
from content.open_now import OpenItem, OpenNow, earliest_after

# The viewsets modules register the admin when imported: the 知识竞答 menu (banks, questions,
# quizzes, units) with spreadsheet import/export, the prize draws, statistics and exports.
from . import viewsets  # noqa: F401
from .models import Certificate, QuizAttempt, QuizPage
from .prizes import viewsets as prize_viewsets  # noqa: F401
from .statistics import viewsets as statistics_viewsets  # noqa: F401


@hooks.register("kepu_open_now")
def open_quizzes(now):
    """Quizzes open now, for the home page's first screen (content/open_now.py)."""
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


@hooks.register("kepu_my_sections")
def my_quiz_attempts(request):
    """The 我的 page's quizzes: the latest attempts with their results and certificates."""
    attempts = list(
        QuizAttempt.objects.filter(user=request.user)
        .select_related("quiz")
        .order_by("-started_at")[:ITEMS]
    )
    if not attempts:
        return None
    certificates = {
        certificate.quiz_id: certificate
        for certificate in Certificate.objects.filter(
            attempt__user=request.user, quiz__in={attempt.quiz_id for attempt in attempts}
        )
    }
    for attempt in attempts:
        certificate = certificates.get(attempt.quiz_id)
        attempt.my_certificate = (
            certificate if certificate and certificate.attempt_id == attempt.pk else None
        )
    return {
        "template": "quizzes/includes/my_attempts.html",
        "anchor": "my-quizzes",
        "label": _("My quizzes"),
        "attempts": attempts,
        "order": 10,
    }
