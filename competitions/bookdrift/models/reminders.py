"""Reminders to readers past the reading period, and the notices readers see on /me/books/."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .copies import BookCopy
from .journeys import JourneyStep


class DriftReminder(models.Model):
    """One reminder about one holding (the catch step): its `period`-th (0, 1, 2 …).

    Unique per holding and number, so the daily task and an organiser's button running at
    the same moment cannot both remind (reminders.py also keeps them the campaign's
    interval apart).
    """

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        SITE = "site", _("Site message")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent: the book moved on")

    copy = models.ForeignKey(BookCopy, on_delete=models.CASCADE, related_name="reminders")
    catch = models.ForeignKey(JourneyStep, on_delete=models.CASCADE, related_name="reminders")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drift_reminders"
    )
    period = models.PositiveIntegerField()
    channel = models.CharField(max_length=4, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reading reminder")
        verbose_name_plural = _("reading reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["catch", "period"], name="bookdrift_reminder_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.copy} · {self.created_at:%Y-%m-%d}"


class ReaderNotice(models.Model):
    """A message for a signed-in reader, shown on their drift page (/me/books/)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reading reminder")
        CAUGHT_AGAIN = "caught_again", _("Your book travels on")
        DONATION = "donation", _("Your donated book")
        AWARD = "award", _("Award")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drift_notices"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    copy = models.ForeignKey(
        BookCopy, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    step = models.ForeignKey(
        JourneyStep, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reminder = models.OneToOneField(
        DriftReminder, null=True, blank=True, on_delete=models.CASCADE, related_name="notice"
    )
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reader notice")
        verbose_name_plural = _("reader notices")
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "step"],
                condition=Q(step__isnull=False),
                name="bookdrift_notice_once_per_step",
            )
        ]
        indexes = [models.Index(fields=["reader", "created_at"], name="bookdrift_notice_reader")]

    def __str__(self):
        return self.text[:40]
