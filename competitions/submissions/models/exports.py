"""Requested .xlsx exports of a contest (entries, scores, votes, awards) for organisers
(competitions/core/exports/ has the steps all exports share)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from competitions.core.exports.models import ExportJob
from kepu.storage import private_storage

from .contest import Contest


class ContestExport(ExportJob):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="exports")
    # The judging and voting results the export shows, as given when it was requested:
    # {"scores": {entry_id: score}, "votes": {entry_id: votes}}.
    results = models.JSONField(default=dict, blank=True)
    file = models.FileField(storage=private_storage, upload_to="contest-exports/", blank=True)
    # Never empty in this table: 0 until the file is ready.
    row_count = models.PositiveIntegerField(_("rows"), default=0)

    class Meta(ExportJob.Meta):
        verbose_name = _("contest export")
        verbose_name_plural = _("contest exports")

    def __str__(self):
        return f"{self.contest} {self.created_at:%Y-%m-%d %H:%M}"
