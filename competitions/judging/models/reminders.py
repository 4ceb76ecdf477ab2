"""Reminders sent to judges, so that an organiser cannot flood a judge's inbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rounds import JudgingRound


class JudgeReminder(models.Model):
    """One reminder recorded for one judge in one round (the e-mail goes out after commit)."""

    round = models.ForeignKey(
        JudgingRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="reminders"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_reminders"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("reminded at"))

    class Meta:
        verbose_name = _("judge reminder")
        verbose_name_plural = _("judge reminders")
        indexes = [models.Index(fields=["round", "judge", "sent_at"], name="judging_reminder_last")]

    def __str__(self):
        return f"{self.judge} · {self.round}"
