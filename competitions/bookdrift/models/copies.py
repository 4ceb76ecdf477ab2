"""Copies (漂流书): one physical book with a QR label, its state and where it is now."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import codes
from .books import Book
from .campaigns import DriftCampaign, Station


class BookCopy(models.Model):
    """A physical copy with its printed code. The journey (JourneyStep rows) is the record;
    `state`, `station`, `holder*`, `last_catcher_key`, `steps_count` and `moved_at` are its
    current end, updated in the same transaction as each step (journeys.py).
    """

    class State(models.TextChoices):
        REGISTERED = "registered", _("Registered, not yet released")
        AT_STATION = "at_station", _("Waiting at a station")
        READING = "reading", _("Being read")
        PASSED_ON = "passed_on", _("Passed on hand to hand")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn from the drift")

    class Approval(models.TextChoices):
        APPROVED = "approved", _("Approved")
        PENDING = "pending", _("Donation waiting for approval")
        REJECTED = "rejected", _("Donation declined")

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("Registered by the organisers")
        DONATED = "donated", _("Donated by a reader (投漂)")

    campaign = models.ForeignKey(
        DriftCampaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="copies"
    )
    book = models.ForeignKey(
        Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="copies"
    )
    code = models.CharField(_("copy code"), max_length=codes.LENGTH, unique=True)
    number = models.PositiveIntegerField(_("copy number"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REGISTERED
    )
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.APPROVED
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ORGANISER
    )
    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("donor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donated_copies",
    )
    donor_note = models.CharField(_("donor's note"), max_length=200, blank=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader now"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_copies",
    )
    # Who holds the copy now ("u:<user id>" or "a:<anonymous reader id>"), and who caught it
    # last: the same reader may not catch it twice in a row (JourneyStep's constraint).
    holder_key = models.CharField(max_length=40, blank=True)
    last_catcher_key = models.CharField(max_length=40, blank=True)
    steps_count = models.PositiveIntegerField(_("journey steps"), default=0)
    moved_at = models.DateTimeField(_("last moved"), default=timezone.now)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = _("drift copy")
        verbose_name_plural = _("drift copies")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=codes.PATTERN), name="bookdrift_copy_code_format"
            ),
            models.UniqueConstraint(
                fields=["campaign", "number"], name="bookdrift_copy_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(state="at_station") | Q(station__isnull=False),
                name="bookdrift_copy_station_when_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(state="reading") | ~Q(holder_key=""),
                name="bookdrift_copy_holder_when_reading",
            ),
            models.CheckConstraint(
                condition=Q(approval="approved") | Q(state__in=["registered", "withdrawn"]),
                name="bookdrift_copy_unapproved_not_drifting",
            ),
            models.CheckConstraint(
                condition=~Q(source="donated") | Q(donor__isnull=False) | Q(approval="approved"),
                name="bookdrift_copy_donation_has_donor",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "state"], name="bookdrift_copy_state"),
            models.Index(fields=["campaign", "moved_at"], name="bookdrift_copy_moved"),
            models.Index(fields=["book", "approval"], name="bookdrift_copy_book"),
        ]

    def __str__(self):
        return f"{self.book.title} · {self.display_code}"

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def path(self) -> str:
        """The copy page's path, which its QR label encodes (with the public address)."""
        return reverse("bookdrift:copy", args=[self.code])

    @property
    def is_drifting(self) -> bool:
        """Approved and neither lost nor withdrawn: readers may catch it."""
        return self.approval == self.Approval.APPROVED and self.state != self.State.WITHDRAWN
