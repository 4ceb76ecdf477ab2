"""Spreadsheet exports of a quiz's attempts and participants, built in the background.

The file lives in private storage (never under MEDIA_ROOT) and leaves it only through the
permission-checked download view; rows and files older than KEPU_QUIZ_EXPORT_KEEP_DAYS are
deleted by a periodic task.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kepu.storage import private_storage

from .quiz import Quiz


class QuizExport(models.Model):
    class Kind(models.TextChoices):
        ATTEMPTS = "attempts", _("Attempt records")
        PARTICIPANTS = "participants", _("Participant list")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("contents"), max_length=20, choices=Kind.choices)
    # Full names, phone numbers and e-mail addresses instead of masked ones; only users with
    # the export_personal_data permission may ask for (and download) such a file.
    personal_data = models.BooleanField(_("unmasked personal data"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to="quiz-exports/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("quiz export")
        verbose_name_plural = _("quiz exports")
        permissions = [
            ("export_personal_data", _("Can export and download unmasked personal data")),
        ]
        indexes = [
            models.Index(fields=["quiz", "-created_at"], name="quiz_export_recent"),
            models.Index(fields=["created_at"], name="quiz_export_created"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.get_kind_display()} #{self.pk}"
