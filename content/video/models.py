"""Uploaded videos: the private original, and the phone-friendly MP4 made from it.

Editors upload a video (validated with ffprobe, probe.py); a Celery task
(transcoding.py) turns it into an H.264/AAC MP4 with a poster frame. Pages and blocks
show it with templates/content/includes/video_player.html.
"""

import codecs

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.search import index

from kepu.storage import private_storage

from .probe import format_duration

SUBTITLES_MAX_BYTES = 512 * 1024


def validate_webvtt(file) -> None:
    """A WebVTT file: UTF-8 text starting with "WEBVTT", at most SUBTITLES_MAX_BYTES.

    Files already stored (unchanged on an edit) are not read again.
    """
    if getattr(file, "_committed", False):
        return
    if file.size > SUBTITLES_MAX_BYTES:
        raise ValidationError(
            _("The subtitles file is %(size)s; the largest allowed is %(limit)s."),
            code="subtitles_too_large",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(SUBTITLES_MAX_BYTES),
            },
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The subtitles file must be saved as UTF-8 text."), code="subtitles_encoding"
        ) from exc
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not (first_line == "WEBVTT" or first_line.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise ValidationError(
            _('The subtitles must be a WebVTT file: its first line must be "WEBVTT".'),
            code="subtitles_not_webvtt",
        )


class Video(index.Indexed, models.Model):
    """An uploaded video and its transcoded, phone-ready form.

    The original is kept in private storage (never served); the public gets only the MP4
    and the poster once `status` is ready. `failure_reason` is for editors only.

    With `private_outputs` (set when the row is created, e.g. for contest entries) the MP4
    and the poster are written to private storage instead (`private_mp4`,
    `private_poster`: no public URL, no Wagtail image); whoever created the video serves
    them through its own permission-checked view.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Processing failed")

    title = models.CharField(_("title"), max_length=255)
    original = models.FileField(
        _("video file"),
        storage=private_storage,
        upload_to="videos/originals/%Y/%m/",
        max_length=255,
        help_text=_(
            "A common video file such as MP4 or MOV. It is converted for phones after upload."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    failure_reason = models.TextField(
        _("processing problem"),
        blank=True,
        help_text=_("Why the video could not be processed. Only editors see this."),
    )
    # Which original the outputs below were made from, and when the current run started
    # (a lease: a run that crashed is taken over once it is stale).
    processed_original = models.CharField(max_length=255, blank=True, editable=False)
    processing_started_at = models.DateTimeField(null=True, blank=True, editable=False)

    mp4 = models.FileField(
        _("MP4 for phones"), upload_to="videos/%Y/%m/", max_length=255, blank=True
    )
    private_outputs = models.BooleanField(_("private outputs"), default=False, editable=False)
    private_mp4 = models.FileField(
        storage=private_storage,
        upload_to="videos/private/%Y/%m/",
        max_length=255,
        blank=True,
        editable=False,
    )
    private_poster = models.FileField(
        storage=private_storage,
        upload_to="videos/private/%Y/%m/",
        max_length=255,
        blank=True,
        editable=False,
    )
    # A Wagtail image, so templates get renditions (WebP, sizes for srcset) and share cards
    # can use it like any other image.
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    subtitles = models.FileField(
        _("subtitles (WebVTT)"),
        upload_to="videos/subtitles/%Y/%m/",
        max_length=255,
        blank=True,
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
        help_text=_("Optional Chinese subtitles as a .vtt file (UTF-8, starting with WEBVTT)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    search_fields = [index.SearchField("title"), index.FilterField("status")]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "processing", "ready", "failed"]),
                name="content_video_status_valid",
            ),
            # A ready video has everything the player needs (in public or private storage).
            models.CheckConstraint(
                condition=~Q(status="ready")
                | (
                    (~Q(mp4="") | (Q(private_outputs=True) & ~Q(private_mp4="")))
                    & Q(duration_seconds__gt=0)
                    & Q(width__gt=0)
                    & Q(height__gt=0)
                    & Q(size_bytes__gt=0)
                ),
                name="content_video_ready_complete",
            ),
            # Editors are always told why a video failed.
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="content_video_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__isnull=True) | Q(duration_seconds__gte=0),
                name="content_video_duration_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_waiting(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.PROCESSING)

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration_seconds) if self.duration_seconds else ""

    @property
    def size_display(self) -> str:
        return filesizeformat(self.size_bytes) if self.size_bytes else ""


@receiver(post_delete, sender=Video)
def delete_video_files(sender, instance: Video, **kwargs) -> None:
    """Deleting a video deletes its files (the original may show people) and its poster,
    once the deletion is committed."""
    files = [
        (f.storage, f.name)
        for f in (
            instance.original,
            instance.mp4,
            instance.subtitles,
            instance.private_mp4,
            instance.private_poster,
        )
        if f
    ]
    poster_id = instance.poster_id

    def delete_files():
        for storage, name in files:
            storage.delete(name)
        if poster_id:
            get_image_model().objects.filter(pk=poster_id).delete()

    transaction.on_commit(delete_files)
