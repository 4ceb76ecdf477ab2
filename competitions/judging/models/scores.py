"""Who judges what (Assignment) and the judge's score sheet (Score, CriterionScore)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from competitions.submissions.models import Entry

from .rounds import Criterion, JudgingRound


class Assignment(models.Model):
    """One entry given to one judge in one round; the judge sees nothing else."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="judging_assignments")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entry__number", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entry", "judge"], name="judging_assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["round", "judge"])]

    def __str__(self):
        return f"{self.entry} → {self.judge}"


class Score(models.Model):
    """A judge's score sheet for one assignment: one per judge and entry and round, enforced
    by the one-to-one link and the assignment's unique constraint. Submitted sheets are
    locked; `total` is on a 0–100 scale (see scoring.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="score")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(total__isnull=False, submitted_at__isnull=False),
                name="judging_score_submitted_complete",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(total__gte=0, total__lte=100),
                name="judging_score_total_0_100",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} ({self.get_status_display()})"


class CriterionScore(models.Model):
    """Points for one criterion; `max_points` is copied from the criterion so the database
    can check 0 ≤ points ≤ max."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="points")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=5, decimal_places=1)
    max_points = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("criterion points")
        verbose_name_plural = _("criterion points")
        constraints = [
            models.UniqueConstraint(
                fields=["score", "criterion"], name="judging_criterion_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0) & Q(points__lte=F("max_points")),
                name="judging_points_within_max",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"
