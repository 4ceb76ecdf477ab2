"""Aggregated expert scores per entry and round, recomputed by aggregation.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from competitions.submissions.models import Entry

from .rounds import JudgingRound


class EntryResult(models.Model):
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="results")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="judging_results")
    score_count = models.PositiveSmallIntegerField(default=0)
    mean = models.DecimalField(_("mean"), max_digits=6, decimal_places=2, null=True)
    trimmed_mean = models.DecimalField(_("trimmed mean"), max_digits=6, decimal_places=2, null=True)
    normalised_mean = models.DecimalField(
        _("normalised mean"), max_digits=6, decimal_places=2, null=True
    )
    spread = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    flagged_disagreement = models.BooleanField(_("judges disagree"), default=False)
    rank_in_group = models.PositiveIntegerField(_("rank in group"), null=True)
    advanced = models.BooleanField(_("advanced"), default=False)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "entry__group", "rank_in_group"]
        verbose_name = _("entry result")
        verbose_name_plural = _("entry results")
        constraints = [
            models.UniqueConstraint(fields=["round", "entry"], name="judging_result_unique")
        ]

    def __str__(self):
        return f"{self.entry} · {self.round}"
