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


@hooks.register("kepu_home_sections")
def open_quizzes_on_the_home_page(request, home):
    from django.utils import timezone

    from .models import QuizPage

    now = timezone.now()
    pages = list(
        QuizPage.objects.live()
        .public()
        .filter(quiz__opens_at__lte=now, quiz__closes_at__gt=now)
        .select_related("quiz")
        .order_by("quiz__closes_at")[:4]
    )
    if not pages:
        return None
    return {"template": "quizzes/includes/home_quizzes.html", "pages": pages, "order": 10}
