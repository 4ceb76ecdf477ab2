"""A submission contest: its groups, what may be entered, its phases and its awards."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable


class EntryKind(models.TextChoices):
    TEXT = "text", _("Text typed in")
    DOCUMENT = "document", _("Document (.docx or .pdf)")
    IMAGE = "image", _("Images")
    VIDEO = "video", _("Video")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Not started")
    SUBMISSION = "submission", _("Accepting entries")
    REVIEW = "review", _("Expert review")
    VOTING = "voting", _("Public vote")
    RESULTS = "results", _("Results")
    EXHIBITION = "exhibition", _("Exhibition")


class Contest(ClusterableModel):
    """The rules of one contest; a ContestPage shows it in the site tree."""

    title = models.CharField(_("title"), max_length=100)
    entry_kinds = models.JSONField(
        _("entry kinds allowed"),
        default=list,
        help_text=_("Any of: text, document, image, video."),
    )
    max_words = models.PositiveIntegerField(
        _("most characters of text"), default=3000, help_text=_("For typed-in entries.")
    )
    max_files = models.PositiveSmallIntegerField(_("most files per entry"), default=5)
    max_file_mb = models.PositiveSmallIntegerField(_("largest file (MB)"), default=20)

    submission_opens_at = models.DateTimeField(_("entries open"))
    submission_closes_at = models.DateTimeField(_("entries close"))
    review_ends_at = models.DateTimeField(_("expert review ends"))
    voting_opens_at = models.DateTimeField(_("public vote opens"), null=True, blank=True)
    voting_closes_at = models.DateTimeField(_("public vote closes"), null=True, blank=True)
    results_at = models.DateTimeField(_("results published"))
    exhibition_at = models.DateTimeField(_("exhibition opens"), null=True, blank=True)

    judges_per_entry = models.PositiveSmallIntegerField(_("judges per entry"), default=3)
    votes_per_day = models.PositiveSmallIntegerField(_("votes per person per day"), default=5)
    expert_weight = models.PositiveSmallIntegerField(
        _("expert score weight (%)"),
        default=100,
        help_text=_("The rest of 100% is popularity; 100 means popularity is a separate award."),
    )
    popularity_award = models.BooleanField(_("separate popularity award (人气奖)"), default=True)

    panels = [
        FieldPanel("title"),
        MultiFieldPanel(
            [
                FieldPanel("entry_kinds"),
                FieldRowPanel(
                    [FieldPanel("max_words"), FieldPanel("max_files"), FieldPanel("max_file_mb")]
                ),
            ],
            heading=_("What may be entered"),
        ),
        InlinePanel("groups", label=_("Groups"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("submission_opens_at"), FieldPanel("submission_closes_at")]
                ),
                FieldPanel("review_ends_at"),
                FieldRowPanel([FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")]),
                FieldRowPanel([FieldPanel("results_at"), FieldPanel("exhibition_at")]),
            ],
            heading=_("Phases"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("judges_per_entry"),
                FieldPanel("votes_per_day"),
                FieldRowPanel([FieldPanel("expert_weight"), FieldPanel("popularity_award")]),
                InlinePanel("award_levels", label=_("Award levels")),
            ],
            heading=_("Judging, voting and awards"),
        ),
    ]

    class Meta:
        ordering = ["-submission_opens_at"]
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        constraints = [
            models.CheckConstraint(
                condition=Q(submission_closes_at__gt=models.F("submission_opens_at"))
                & Q(review_ends_at__gte=models.F("submission_closes_at"))
                & Q(results_at__gte=models.F("review_ends_at")),
                name="contest_phases_in_order",
            ),
            models.CheckConstraint(
                condition=Q(expert_weight__lte=100), name="contest_expert_weight_percent"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        unknown = set(self.entry_kinds or []) - set(EntryKind.values)
        if unknown or not self.entry_kinds:
            raise ValidationError(
                {"entry_kinds": _("Choose at least one of: text, document, image, video.")}
            )
        order = [
            self.submission_opens_at,
            self.submission_closes_at,
            self.review_ends_at,
            self.results_at,
        ]
        if all(order) and order != sorted(order):
            raise ValidationError(_("The phases must follow each other in time."))
        if bool(self.voting_opens_at) != bool(self.voting_closes_at):
            raise ValidationError(_("Give both the opening and the closing of the public vote."))
        if self.voting_opens_at and self.voting_closes_at <= self.voting_opens_at:
            raise ValidationError(_("The public vote must close after it opens."))

    def phase(self, now=None) -> str:
        """The phase at `now`; the public vote may overlap the expert review."""
        now = now or timezone.now()
        if now < self.submission_opens_at:
            return Phase.UPCOMING
        if now < self.submission_closes_at:
            return Phase.SUBMISSION
        if self.voting_opens_at and self.voting_opens_at <= now < self.voting_closes_at:
            return Phase.VOTING
        if now < self.results_at:
            return Phase.REVIEW
        if self.exhibition_at and now >= self.exhibition_at:
            return Phase.EXHIBITION
        return Phase.RESULTS

    def accepts_entries(self, now=None) -> bool:
        return self.phase(now) == Phase.SUBMISSION

    def voting_open(self, now=None) -> bool:
        return self.phase(now) == Phase.VOTING


class ContestGroup(Orderable):
    """A group (组别) such as 小学组: entries compete and win awards within their group."""

    contest = ParentalKey(Contest, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=40)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["contest", "name"], name="contest_group_unique_name")
        ]

    def __str__(self):
        return self.name


class AwardLevel(Orderable):
    """一等奖, 二等奖 …: how many entries of each group win it (a count or a percentage)."""

    contest = ParentalKey(Contest, on_delete=models.CASCADE, related_name="award_levels")
    name = models.CharField(_("name"), max_length=20)
    count = models.PositiveSmallIntegerField(_("entries per group"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(
        _("or share of each group's entries (%)"), null=True, blank=True
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("count"), FieldPanel("percent")])]

    class Meta(Orderable.Meta):
        verbose_name = _("award level")
        verbose_name_plural = _("award levels")
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=False) ^ Q(percent__isnull=False),
                name="award_level_count_or_percent",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="award_level_percent_at_most_100",
            ),
        ]

    def __str__(self):
        return self.name
