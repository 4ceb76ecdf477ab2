"""Requested .xlsx exports of a contest (entries, scores, votes, awards) for organisers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.storage import private_storage

from .contest import Contest


class ContestExport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The judging and voting results the export shows, as given when it was requested:
    # {"scores": {entry_id: score}, "votes": {entry_id: votes}}.
    results = models.JSONField(default=dict, blank=True)
    # Authors' full names, phone numbers and e-mail addresses instead of masked ones; only
    # users with the export_personal_data permission may ask for (and download) such a file.
    personal_data = models.BooleanField(_("unmasked personal data"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(storage=private_storage, upload_to="contest-exports/", blank=True)
    row_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contest export")
        verbose_name_plural = _("contest exports")
        permissions = [
            ("export_personal_data", _("Can export and download unmasked personal data")),
        ]

    def __str__(self):
        return f"{self.contest} {self.created_at:%Y-%m-%d %H:%M}"
