"""Telling winners of a prize draw, by text message and e-mail (notifications/)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from kepu.public_url import public_url
from notifications.services import Message, notify

from ..models import PrizeDraw


def notify_winners(draw: PrizeDraw) -> int:
    """Records a notification for each winner with an account and a way to reach them,
    with the link to the claim form; sent after the draw's transaction commits.

    Idempotent per winner: drawing is itself idempotent, and a winner is told once.
    """
    quiz = draw.quiz
    link = public_url(reverse("quizzes:prize_claim", args=[quiz.pk]))
    messages = []
    for winner in draw.winners.select_related("prize", "user").exclude(user=None):
        params = {"quiz": quiz.title, "prize": winner.prize.name, "link": link}
        text = _(
            "[%(site)s] Congratulations: you won %(prize)s in the prize draw of “%(quiz)s”. "
            "Tell us where to send it: %(link)s"
        ) % {"site": settings.WAGTAIL_SITE_NAME, **params}
        messages.append(
            Message(
                user=winner.user,
                kind="prize_won",
                key=f"winner:{winner.pk}",
                subject=_("You won %(prize)s") % params,
                text=text,
                params=params,
            )
        )
    return notify(messages)
