"""Notifications to people (prize and award winners, judges): one row per person, channel
and occasion, so that nobody is told twice and organisers can see what went out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # What it is about ("prize_won", "award_won", "judge_reminder": also the SMS template
    # kind, accounts/sms_providers/) and which occasion ("award:12"): one of each per person.
    kind = models.CharField(_("kind"), max_length=30)
    key = models.CharField(max_length=100)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "kind", "key"], name="notification_once_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_queue")]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.user_id} ({self.channel})"
