"""QuizPage: the quiz's place in the site tree (QR poster, search, share card)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .quiz import Quiz


class QuizPage(Page):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="pages"
    )
    summary = models.TextField(_("summary"), max_length=300)
    intro = RichTextField(_("introduction and rules"), blank=True)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("quiz"),
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("intro"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["content.HomePage", "content.SectionPage"]
    subpage_types = []

    kind = "quiz"

    class Meta:
        verbose_name = _("quiz page")
        verbose_name_plural = _("quiz pages")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # The page says "not open yet" / "closed": cache it no longer than until that changes.
        now = timezone.now()
        upcoming = [moment for moment in (self.quiz.opens_at, self.quiz.closes_at) if moment > now]
        if upcoming:
            response.page_cache_timeout = int((min(upcoming) - now).total_seconds())
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        quiz = self.quiz
        context.update(
            quiz_status=quiz.status(),
            question_count=quiz.draw_rules.aggregate(n=models.Sum("count"))["n"]
            or quiz.fixed_question_links.count()
            or quiz.questions_per_attempt,
        )
        return context
