"""The journal of a copy's journey (漂流记录): catches, releases and organisers' steps.

The journey is a numbered line: `sequence` is unique per copy, so two steps written at the
same moment from the same state cannot both land (journeys.py retries or refuses the
second). A catch stores who caught the copy before it (`previous_catcher_key`) and the
database refuses one whose reader is that same person: nobody catches a copy twice in a
row. Each write a phone may repeat carries a client token, unique in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competitions.core.models import Unit

from .campaigns import SchoolClass, Station
from .copies import BookCopy


class JourneyStep(models.Model):
    class Kind(models.TextChoices):
        CATCH = "catch", _("Caught")
        RELEASE = "release", _("Released")
        PLACED = "placed", _("Placed at a station by the organisers")
        LOST = "lost", _("Reported lost")
        WITHDRAWN = "withdrawn", _("Withdrawn by the organisers")

    class TextStatus(models.TextChoices):
        NONE = "none", _("No text")
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    copy = models.ForeignKey(BookCopy, on_delete=models.CASCADE, related_name="steps")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drift_steps",
    )
    # "u:<user id>", "a:<anonymous reader id>", or "" for an organiser's step.
    reader_key = models.CharField(max_length=40, blank=True)
    previous_catcher_key = models.CharField(max_length=40, blank=True)
    nickname = models.CharField(_("nickname"), max_length=20, blank=True)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drift_steps",
    )
    school_class = models.ForeignKey(
        SchoolClass,
        verbose_name=_("class"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steps",
    )
    place_text = models.CharField(_("place"), max_length=40, blank=True)
    note = models.TextField(_("drift note"), max_length=200, blank=True)
    text_status = models.CharField(
        _("note status"), max_length=10, choices=TextStatus.choices, default=TextStatus.NONE
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    # The organiser who recorded a placing, a loss or a withdrawal.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reader agreed to show their name, school and class with this step (for readers
    # under 14 the guardian's display consent is needed as well: privacy.py).
    show_identity = models.BooleanField(_("show my name and class"), default=False)
    client_token = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["copy", "sequence"]
        verbose_name = _("journey step")
        verbose_name_plural = _("journey steps")
        constraints = [
            models.UniqueConstraint(
                fields=["copy", "sequence"], name="bookdrift_step_sequence_unique"
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="bookdrift_step_sequence"),
            models.CheckConstraint(
                condition=~Q(kind="catch") | ~Q(reader_key=""),
                name="bookdrift_step_catch_has_reader",
            ),
            models.CheckConstraint(
                condition=~Q(kind="catch") | ~Q(reader_key=models.F("previous_catcher_key")),
                name="bookdrift_step_no_catch_twice_in_a_row",
            ),
            models.CheckConstraint(
                condition=Q(text_status="none", note="", place_text="")
                | (~Q(text_status="none") & (~Q(note="") | ~Q(place_text=""))),
                name="bookdrift_step_text_status",
            ),
        ]
        indexes = [
            models.Index(fields=["reader", "kind"], name="bookdrift_step_reader"),
            models.Index(
                fields=["text_status", "created_at"],
                name="bookdrift_step_pending",
                condition=Q(text_status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.copy_id} #{self.sequence} {self.get_kind_display()}"
