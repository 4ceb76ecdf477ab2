"""Entries (作品) and their files. Files live in private storage; see files/uploads.py."""

import unicodedata
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.core.models import Unit
from kepu.storage import private_storage

from ..display import displayable, entry_is_displayable
from .contest import Contest, ContestGroup, EntryKind


class EntryQuerySet(models.QuerySet):
    def publicly_displayable(self, today=None):
        """Entries that may appear on public pages (competitions/submissions/display.py)."""
        return displayable(self, today)


class Entry(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="entries"
    )
    group = models.ForeignKey(
        ContestGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="contest_entries",
    )
    # The entry number (作品编号) is given at the first submission and never changes.
    number = models.PositiveIntegerField(_("entry number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=60)
    description = models.TextField(_("description"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    school = models.ForeignKey(
        Unit,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    teacher = models.CharField(_("advising teacher"), max_length=40, blank=True)
    co_authors = models.CharField(
        _("co-authors"), max_length=100, blank=True, help_text=_("Names, separated by commas.")
    )
    # The author's own agreement that the work, its title and the school may appear on
    # public pages. Authors under 14 need their guardian's display consent as well: use
    # `is_publicly_displayable()` / `Entry.objects.publicly_displayable()`, never this alone.
    display_consent = models.BooleanField(
        _("may be shown publicly"),
        default=False,
        help_text=_(
            "I agree that my work, its title and my school may appear in the published "
            "results and the online exhibition."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "number"],
                condition=Q(number__isnull=False),
                name="entry_number_unique_per_contest",
            ),
            models.UniqueConstraint(
                fields=["contest", "author"],
                condition=~Q(status="withdrawn"),
                name="entry_one_active_per_author",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, submitted_at__isnull=False),
                name="entry_submitted_has_number",
            ),
        ]
        indexes = [models.Index(fields=["contest", "status", "group"])]

    def __str__(self):
        return self.display_number or self.title

    def is_publicly_displayable(self, today=None) -> bool:
        """Whether this entry may appear on public pages (competitions/submissions/display.py)."""
        return entry_is_displayable(self, today)

    @property
    def display_number(self) -> str:
        """The number judges and the public see, e.g. "C3-0042"."""
        return f"C{self.contest_id}-{self.number:04d}" if self.number else ""


def printable(text: str) -> str:
    """`text` without control, format (direction overrides, zero widths) and separator
    characters other than the plain space."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ" or ch == " ")


class EntryFileQuerySet(models.QuerySet):
    def accepted(self):
        """Files that passed the checks: the only ones that count anywhere (judging, public
        pages, results, exports, search, the entry's completeness)."""
        return self.filter(state=EntryFile.State.ACCEPTED)

    def pending(self):
        return self.filter(state=EntryFile.State.PENDING)

    def taking_a_place(self):
        """Files that use one of the contest's `max_files` places: accepted ones, and
        pending ones that will be added (a pending replacement takes its old file's place)."""
        return self.filter(
            Q(state=EntryFile.State.ACCEPTED)
            | Q(state=EntryFile.State.PENDING, replaces__isnull=True)
        )


class EntryFile(models.Model):
    """A file of an entry, kept privately (never under MEDIA_ROOT) and checked by a worker.

    The upload request stores the raw bytes and a row in state "pending"; the check
    (competitions/submissions/files/checks.py) either accepts it, storing the cleaned file
    (re-encoded image, .docx/PDF without author metadata) in place of the raw bytes, or
    refuses it with a message for the author and deletes the raw bytes. Only accepted files
    count (`EntryFile.objects.accepted()`); a refused row stays, without bytes, until its
    author removes it, so that they see why.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Being checked")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Not accepted")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    file = models.FileField(
        storage=private_storage, upload_to="entries/%Y/%m/", max_length=255, blank=True
    )
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    extracted_text = models.TextField(blank=True)
    video = models.ForeignKey(
        "content.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(
        _("check"), max_length=10, choices=State.choices, default=State.PENDING
    )
    # Why a refused file was not accepted, as the author was told (code for programs).
    refusal_code = models.CharField(max_length=40, blank=True)
    refusal_message = models.TextField(blank=True)
    # A pending upload that will take this file's place once accepted (the old one stays
    # until then, so a submitted entry is never left without its file).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replacements"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntryFileQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "sort_order", "pk"]
        verbose_name = _("entry file")
        verbose_name_plural = _("entry files")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "accepted", "refused"]),
                name="entryfile_state_valid",
            ),
            # A refused upload leaves no stored bytes behind and always says why; the
            # others always have their file.
            models.CheckConstraint(
                condition=(Q(state="refused") & Q(file="") & ~Q(refusal_message=""))
                | (~Q(state="refused") & ~Q(file="")),
                name="entryfile_refused_has_reason_and_no_file",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_accepted(self) -> bool:
        return self.state == self.State.ACCEPTED

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_refused(self) -> bool:
        return self.state == self.State.REFUSED

    @property
    def display_name(self) -> str:
        """The name it was uploaded with, without control and direction characters: U+202E
        makes "作品\u202egnp.exe" read as "作品exe.png" wherever it is shown."""
        return printable(self.original_name).strip() or str(_("file"))

    @property
    def takes_a_place(self) -> bool:
        """Whether it uses one of the contest's `max_files` places (as `taking_a_place`)."""
        return self.is_accepted or (self.is_pending and self.replaces_id is None)
