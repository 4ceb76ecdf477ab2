"""ContestPage: the contest's place in the site tree (rules, phase, QR poster, search)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from competitions.core.pages import CompetitionPage

from .contest import Contest, Phase


class ContestPage(CompetitionPage):
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="pages"
    )
    rules = RichTextField(_("rules"), blank=True)

    content_panels = [
        *CompetitionPage.content_panels,
        FieldPanel("contest"),
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("rules"),
    ]
    search_fields = [*CompetitionPage.search_fields, index.SearchField("rules")]

    kind = "contest"

    class Meta:
        verbose_name = _("contest page")
        verbose_name_plural = _("contest pages")

    def change_moments(self) -> list:
        # What a visitor can do changes with the phase.
        contest = self.contest
        return [
            contest.submission_opens_at,
            contest.submission_closes_at,
            contest.review_ends_at,
            contest.voting_opens_at,
            contest.voting_closes_at,
            contest.results_at,
            contest.exhibition_at,
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        phase = self.contest.phase()
        context["phase"] = phase
        context["phase_label"] = Phase(phase).label
        context["groups"] = self.contest.groups.all()
        return context
