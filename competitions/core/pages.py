"""CompetitionPage: what the pages of quizzes and contests share in the site tree."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index


class CompetitionPage(Page):
    """An editorial shell around a competition (a QuizPage shows a Quiz, …).

    Subclasses say when what the page shows changes (`change_moments()`: opening, closing,
    phases), and the anonymous page cache keeps the page no longer than the next one.
    """

    summary = models.TextField(_("summary"), max_length=300)
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["content.HomePage", "content.SectionPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def change_moments(self) -> list:
        return []

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        now = timezone.now()
        upcoming = [moment for moment in self.change_moments() if moment and moment > now]
        if upcoming:
            response.page_cache_timeout = int((min(upcoming) - now).total_seconds())
        return response
