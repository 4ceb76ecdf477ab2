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
        from ..papers import material_for

        context = super().get_context(request, *args, **kwargs)
        quiz = self.quiz
        material = material_for(quiz)  # kept per process: no query once built
        context.update(
            quiz_status=quiz.status(),
            question_count=sum(count for _category, _difficulty, count in material.rules)
            or len(material.fixed)
            or quiz.questions_per_attempt,
        )
        return context
