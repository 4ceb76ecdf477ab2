"""Spreadsheet exports of a quiz's attempts and participants, built in the background.

The file lives in private storage (never under MEDIA_ROOT) and leaves it only through the
permission-checked download view; rows and files older than KEPU_QUIZ_EXPORT_KEEP_DAYS are
deleted by a periodic task (competitions/core/exports/ has the steps all exports share).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from competitions.core.exports.models import ExportJob
from kepu.storage import private_storage

from .quiz import Quiz


class QuizExport(ExportJob):
    class Kind(models.TextChoices):
        ATTEMPTS = "attempts", _("Attempt records")
        PARTICIPANTS = "participants", _("Participant list")

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("contents"), max_length=20, choices=Kind.choices)
    file = models.FileField(storage=private_storage, upload_to="quiz-exports/", blank=True)

    class Meta(ExportJob.Meta):
        verbose_name = _("quiz export")
        verbose_name_plural = _("quiz exports")
        indexes = [
            models.Index(fields=["quiz", "-created_at"], name="quiz_export_recent"),
            models.Index(fields=["created_at"], name="quiz_export_created"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.get_kind_display()} #{self.pk}"
