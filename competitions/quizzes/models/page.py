"""QuizPage: the quiz's place in the site tree (QR poster, search, share card)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from competitions.core.pages import CompetitionPage

from .quiz import Quiz


class QuizPage(CompetitionPage):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="pages"
    )
    intro = RichTextField(_("introduction and rules"), blank=True)

    content_panels = [
        *CompetitionPage.content_panels,
        FieldPanel("quiz"),
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("intro"),
    ]
    search_fields = [*CompetitionPage.search_fields, index.SearchField("intro")]

    kind = "quiz"

    class Meta:
        verbose_name = _("quiz page")
        verbose_name_plural = _("quiz pages")

    def change_moments(self) -> list:
        # The page says "not open yet" / "closed".
        return [self.quiz.opens_at, self.quiz.closes_at]

    def get_context(self, request, *args, **kwargs):
        # Services import the models package this module is part of: imported when used.
        from ..attempts import allowance, participant_key
        from ..facts import facts_for

        context = super().get_context(request, *args, **kwargs)
        quiz = self.quiz
        status = quiz.status()
        context.update(quiz_status=status, facts=facts_for(quiz))
        # Signed-in readers never get the anonymous page cache: tell them where they stand.
        if status == "open" and request.user.is_authenticated:
            context["allowance"] = allowance(quiz, participant_key(request.user))
        return context
