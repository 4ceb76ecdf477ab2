"""QuizPage: the quiz's place in the site tree (QR poster, search, share card)."""

from django.conf import settings
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
    # Nothing on the page depends on who reads it: whether this participant may start (or
    # continue) is answered by the start itself. The page cache serves it to signed-in
    # participants too (content/cache.py), until the quiz opens or closes.
    same_for_every_reader = True

    class Meta:
        verbose_name = _("quiz page")
        verbose_name_plural = _("quiz pages")

    def change_moments(self) -> list:
        # The page says "not open yet" / "closed", or shows the start button.
        return [self.quiz.opens_at, self.quiz.closes_at]

    def get_context(self, request, *args, **kwargs):
        # The quiz modules import the models package this module is part of: imported here.
        from ..facts import facts_for
        from ..forms import StartForm

        context = super().get_context(request, *args, **kwargs)
        quiz = self.quiz
        status = quiz.status()
        context.update(quiz=quiz, quiz_status=status, facts=facts_for(quiz))
        if status == "open":
            # The start is posted from this page (quiz-start.js) with the CSRF cookie's token:
            # the page itself never asks for a token, which would keep it out of the cache.
            # Naming the cookie makes the page cache give it to a reader who has none.
            context.update(start_form=StartForm(quiz=quiz), csrf_cookie=settings.CSRF_COOKIE_NAME)
        return context
