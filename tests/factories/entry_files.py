"""Entry files as they are after the upload checks: stored in private storage with their row,
videos with their transcoded MP4 and poster. Built directly (no checks, no ffmpeg), for tests
of what happens to stored files: exports, deletion, downloads."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from competitions.submissions.models import Entry, EntryFile, EntryKind
from content.video.models import Video

from .pdfs import make_pdf

PRIVATE_FOLDER = "entries/tests/"


def png_bytes(colour=(30, 120, 200), size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def stored_file(entry: Entry, kind: str, content: bytes, original_name: str, **fields):
    """An accepted EntryFile of `entry` (its check done) whose `content` is stored privately
    under a generated name."""
    extension = original_name.rsplit(".", 1)[-1]
    storage = EntryFile._meta.get_field("file").storage
    name = storage.save(f"{PRIVATE_FOLDER}{entry.pk}.{extension}", ContentFile(content))
    return EntryFile.objects.create(
        entry=entry,
        kind=kind,
        file=name,
        original_name=original_name,
        content_type=fields.pop("content_type", "application/octet-stream"),
        size_bytes=len(content),
        sort_order=entry.files.count(),
        state=fields.pop("state", EntryFile.State.ACCEPTED),
        **fields,
    )


def image_file(entry: Entry, original_name="我的画.png", colour=(30, 120, 200)) -> EntryFile:
    return stored_file(
        entry,
        EntryKind.IMAGE,
        png_bytes(colour),
        original_name,
        content_type="image/png",
        width=64,
        height=48,
    )


def document_file(entry: Entry, text="实验报告：水的沸点", original_name="实验报告.pdf"):
    return stored_file(
        entry,
        EntryKind.DOCUMENT,
        make_pdf([text]),
        original_name,
        content_type="application/pdf",
        extracted_text=text,
    )


def video_file(entry: Entry, original_name="小实验.mp4", content=b"\x00\x00\x00\x18ftypmp42clip"):
    """An accepted video entry file whose video is ready: original, private MP4 and poster
    stored."""
    video = Video(
        title=f"{entry.contest_id}-{entry.pk}",
        private_outputs=True,
        status=Video.Status.READY,
        duration_seconds=1.0,
        width=320,
        height=240,
        size_bytes=len(content),
        processing_started_at=timezone.now(),
    )
    video.original.save("original.mp4", ContentFile(content), save=False)
    video.private_mp4.save("phone.mp4", ContentFile(content + b"-transcoded"), save=False)
    video.private_poster.save("poster.jpg", ContentFile(png_bytes()), save=False)
    video.processed_original = video.original.name
    video.save()
    return EntryFile.objects.create(
        entry=entry,
        kind=EntryKind.VIDEO,
        file=video.original.name,
        original_name=original_name,
        content_type="video/mp4",
        size_bytes=len(content),
        width=320,
        height=240,
        video=video,
        sort_order=entry.files.count(),
        state=EntryFile.State.ACCEPTED,
    )
