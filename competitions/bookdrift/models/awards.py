"""Drift awards (最佳漂书, 最佳漂友, 最佳投漂者) as organisers confirm them, and certificates."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.core.certificates.names import ChosenName

from .campaigns import DriftCampaign
from .copies import BookCopy

CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def generate_certificate_code() -> str:
    """A random 12-character certificate code (the copy codes' alphabet)."""
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(12))


class DriftAward(models.Model):
    """One confirmed place of one award in one campaign, with the figures it was given for
    (a snapshot: later journey steps do not change a confirmed award)."""

    class Kind(models.TextChoices):
        BEST_COPY = "best_copy", _("Best drifting book (最佳漂书)")
        BEST_READER = "best_reader", _("Best drift reader (最佳漂友)")
        BEST_DONOR = "best_donor", _("Best book donor (最佳投漂者)")

    campaign = models.ForeignKey(DriftCampaign, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("award"), max_length=12, choices=Kind.choices)
    rank = models.PositiveSmallIntegerField(_("place"))
    copy = models.ForeignKey(
        BookCopy, null=True, blank=True, on_delete=models.CASCADE, related_name="awards"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="drift_awards",
    )
    figures = models.JSONField(default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "kind", "rank"]
        verbose_name = _("drift award")
        verbose_name_plural = _("drift awards")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "rank"], name="bookdrift_award_place_unique"
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind", "copy"],
                condition=Q(copy__isnull=False),
                name="bookdrift_award_copy_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "kind", "person"],
                condition=Q(person__isnull=False),
                name="bookdrift_award_person_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind="best_copy") & Q(copy__isnull=False) & Q(person__isnull=True))
                | (~Q(kind="best_copy") & Q(copy__isnull=True) & Q(person__isnull=False)),
                name="bookdrift_award_subject",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="bookdrift_award_rank"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.rank}"


class DriftCertificate(ChosenName):
    """A published person award's certificate, drawn by the one certificate layout.
    What it prints is a snapshot; the code stays when the award is confirmed again for the
    same person and place. `holder_name` is masked (the public verification page shows it);
    the name the holder chose to print is `printed_name`
    (competitions/core/certificates/names.py)."""

    award = models.OneToOneField(DriftAward, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(max_length=12, unique=True, default=generate_certificate_code)
    holder_name = models.CharField(max_length=60)
    award_name = models.CharField(max_length=60)
    campaign_title = models.CharField(max_length=80)
    detail = models.CharField(max_length=120, blank=True)
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("drift certificate")
        verbose_name_plural = _("drift certificates")

    def __str__(self):
        return self.code

    @property
    def holder_user(self):
        """The reader or donor the award names."""
        return self.award.person

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, 12, 4))
