"""ContestPage: the contest's place in the site tree (rules, phase, QR poster, search)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .contest import Contest, Phase


class ContestPage(Page):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="pages"
    )
    summary = models.TextField(_("summary"), max_length=300)
    rules = RichTextField(_("rules"), blank=True)
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
        FieldPanel("contest"),
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("rules"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("rules")]
    parent_page_types = ["content.HomePage", "content.SectionPage"]
    subpage_types = []

    kind = "contest"

    class Meta:
        verbose_name = _("contest page")
        verbose_name_plural = _("contest pages")

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # What a visitor can do changes with the phase: cache no longer than the next change.
        now = timezone.now()
        contest = self.contest
        moments = [
            contest.submission_opens_at,
            contest.submission_closes_at,
            contest.review_ends_at,
            contest.voting_opens_at,
            contest.voting_closes_at,
            contest.results_at,
            contest.exhibition_at,
        ]
        upcoming = [moment for moment in moments if moment and moment > now]
        if upcoming:
            response.page_cache_timeout = int((min(upcoming) - now).total_seconds())
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        phase = self.contest.phase()
        context["phase"] = phase
        context["phase_label"] = Phase(phase).label
        context["groups"] = self.contest.groups.all()
        return context
