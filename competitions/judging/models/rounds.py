"""Judging rounds (初评/终评), their panels per group, judges and the rubric they score by."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from competitions.core.models import Unit
from competitions.submissions.models import Contest, ContestGroup


class Rubric(ClusterableModel):
    """A set of weighted criteria (评分标准) used by one or more rounds of a contest."""

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="rubrics"
    )
    name = models.CharField(_("name"), max_length=60)

    panels = [
        FieldPanel("contest"),
        FieldPanel("name"),
        InlinePanel("criteria", label=_("Criteria"), min_num=1),
    ]

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.name


class Criterion(Orderable):
    """One criterion: points from 0 to `max_points`, counted with `weight` in the total."""

    rubric = ParentalKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=60)
    help_text = models.CharField(_("what to look for"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=Decimal(1))
    max_points = models.PositiveSmallIntegerField(_("maximum points"), default=10)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("weight"), FieldPanel("max_points")]),
        FieldPanel("help_text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_max_points_positive"
            ),
            models.UniqueConstraint(fields=["rubric", "name"], name="criterion_unique_name"),
        ]

    def __str__(self):
        return self.name


class JudgingRound(models.Model):
    """A round of expert review. Round 1 judges every submitted entry; later rounds judge
    the entries that advanced from the round before (see advancement.py)."""

    class Advancement(models.TextChoices):
        TOP_N = "top_n", _("The top N of each group")
        THRESHOLD = "threshold", _("Entries scoring at least X")

    class Basis(models.TextChoices):
        MEAN = "mean", _("Mean")
        TRIMMED = "trimmed", _("Trimmed mean")
        NORMALISED = "normalised", _("Normalised mean (z-scores)")

    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="judging_rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"), default=1)
    name = models.CharField(_("name"), max_length=30, help_text=_("For example 初评 or 终评."))
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="rounds"
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    basis = models.CharField(
        _("rank by"), max_length=12, choices=Basis.choices, default=Basis.TRIMMED
    )
    disagreement_percent = models.PositiveSmallIntegerField(
        _("flag disagreement above (% of the maximum)"), default=30
    )
    advancement = models.CharField(
        _("who advances"), max_length=12, choices=Advancement.choices, default=Advancement.TOP_N
    )
    advance_count = models.PositiveSmallIntegerField(
        _("N (entries per group)"), null=True, blank=True
    )
    advance_threshold = models.DecimalField(
        _("X (score out of 100)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    panels = [
        FieldPanel("contest"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldPanel("rubric"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("basis"), FieldPanel("disagreement_percent")]),
        FieldRowPanel(
            [
                FieldPanel("advancement"),
                FieldPanel("advance_count"),
                FieldPanel("advance_threshold"),
            ]
        ),
    ]

    class Meta:
        ordering = ["contest", "number"]
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="judging_round_unique"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="judging_round_dates"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="judging_round_number_positive"
            ),
        ]

    def __str__(self):
        return f"{self.contest} · {self.name}"

    def clean(self):
        super().clean()
        if self.rubric_id and self.contest_id and self.rubric.contest_id != self.contest_id:
            raise ValidationError({"rubric": _("Choose a rubric of the same contest.")})
        if self.advancement == self.Advancement.TOP_N and self.advance_threshold is not None:
            raise ValidationError({"advance_threshold": _("Leave X empty when the top N advance.")})

    def previous(self) -> "JudgingRound | None":
        return (
            JudgingRound.objects.filter(contest_id=self.contest_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )


class Judge(models.Model):
    """A judge's profile: the school they work at, so they never judge its pupils."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judge_profile"
    )
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school (conflict of interest)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judges",
    )

    panels = [FieldPanel("user"), FieldPanel("school")]

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")

    def __str__(self):
        return str(self.user)


class JudgingPanel(models.Model):
    """The judges (评审组) of one group in one round."""

    round = models.ForeignKey(
        JudgingRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="judging_panels",
    )
    group = models.ForeignKey(
        ContestGroup,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="judging_panels",
    )
    name = models.CharField(_("name"), max_length=60, blank=True)
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("judges"), related_name="judging_panels"
    )

    panels = [FieldPanel("round"), FieldPanel("group"), FieldPanel("name"), FieldPanel("judges")]

    class Meta:
        verbose_name = _("judging panel")
        verbose_name_plural = _("judging panels")
        constraints = [
            models.UniqueConstraint(fields=["round", "group"], name="judging_panel_one_per_group")
        ]

    def __str__(self):
        return self.name or f"{self.round} · {self.group}"

    def clean(self):
        super().clean()
        if self.round_id and self.group_id and self.group.contest_id != self.round.contest_id:
            raise ValidationError({"group": _("Choose a group of the round's contest.")})
