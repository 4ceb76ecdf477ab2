"""The fields every background export's row has (an abstract model: no table of its own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    """One requested export file, from the request to the ready (or failed) file.

    A concrete export adds what it exports, who may ask for it and its `file` field (a
    FileField on private storage, in its own folder).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Full names, phone numbers and e-mail addresses instead of masked ones; only users with
    # the export_personal_data permission may ask for (and download) such a file.
    personal_data = models.BooleanField(_("unmasked personal data"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        permissions = [
            ("export_personal_data", _("Can export and download unmasked personal data")),
        ]
