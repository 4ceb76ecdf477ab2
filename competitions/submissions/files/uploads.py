"""Receiving the files of contest entries (DESIGN.md rule 5): the web request's half.

Nothing that can expand (documents, images, videos) is decoded in a web process. The upload
request does only cheap checks:

- the file is not empty and within the contest's size limit (`check_size`);
- its real type, from its first bytes (`sniff`: never the name or the browser's content
  type), is an image (JPEG, PNG, WebP), a document (PDF, or a zip that may be a .docx) or a
  video container (MP4/MOV, Matroska, AVI), and the contest accepts that kind;

then `store_pending` keeps the raw bytes privately (under a random name, never served) in
an EntryFile in state "pending", and entries.py queues its check (`CHECK_TARGET`) through
the outbox in the same transaction. The check runs in a worker (checks.py), the decoding
itself in a bounded child process (inspection.py, pdf_text.py, content.video.probe), and
ends in "accepted" (the cleaned file replaces the raw bytes) or "refused" with one of the
messages of `refusal` (the raw bytes are deleted). Anything else (SVG, HTML, executables whatever
they are called …) is refused in the request.

Every refusal in the request is a ValidationError with a message for the author and stores
nothing. However an entry file goes (removed, withdrawn, its author deleted), its stored
bytes and its video go too.
"""

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from content.video.models import Video

from ..models import EntryFile, EntryKind
from ..models.entries import printable
from . import inspection, pdf_text

HEAD_BYTES = 64
# Where raw uploads wait for their check. For a video the raw upload stays there as the
# content.Video's original; images and documents are replaced by their cleaned copy.
RAW_DIRECTORY = "entries/originals/%Y/%m/"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The outbox job that checks a pending file (checks.py).
CHECK_TARGET = "submissions.check_entry_file"

# Real type (from `sniff`) → (kind, content type, extension of the stored file).
RECEIVED_TYPES = {
    "jpeg": (EntryKind.IMAGE, "image/jpeg", "jpg"),
    "png": (EntryKind.IMAGE, "image/png", "png"),
    "webp": (EntryKind.IMAGE, "image/webp", "webp"),
    "pdf": (EntryKind.DOCUMENT, "application/pdf", "pdf"),
    "zip": (EntryKind.DOCUMENT, DOCX_TYPE, "docx"),
    "mp4": (EntryKind.VIDEO, "video/mp4", "mp4"),
    "mov": (EntryKind.VIDEO, "video/quicktime", "mov"),
    "mkv": (EntryKind.VIDEO, "video/x-matroska", "mkv"),
    "avi": (EntryKind.VIDEO, "video/x-msvideo", "avi"),
}


@dataclass(frozen=True)
class Received:
    """What the cheap checks found out about an upload."""

    kind: str
    content_type: str
    extension: str


def refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def refusal(code: str, params: dict | None = None) -> ValidationError:
    """The message for the author for a refusal `code` of the checks (in the request or
    in the worker). The same words whether a file is refused at once or after its check."""
    params = params or {}
    if code == "unsupported_type":
        return refused(
            _(
                "This file type is not accepted. Please upload a JPG or PNG image, a Word "
                "(.docx) or PDF document, or an MP4/MOV video."
            ),
            code,
        )
    if code == "bad_image":
        return refused(
            _("The image cannot be read; it may be damaged. Please upload a JPG or PNG image."),
            code,
        )
    if code == "too_many_pixels":
        return refused(
            _(
                "The image is too large in pixels (at most %(limit)s million pixels). "
                "Please upload a smaller picture."
            )
            % {"limit": inspection.MAX_IMAGE_PIXELS // 1_000_000},
            code,
        )
    if code == "bad_document" and params.get("format") == "pdf":
        return refused(
            _("This PDF cannot be read; it may be incomplete. Please export it again."), code
        )
    if code == "bad_document":
        return refused(
            _("This Word document cannot be read. Please save it as .docx or PDF and try again."),
            code,
        )
    if code == "document_too_large":
        return refused(
            _(
                "The text of this Word document is too large to read (more than %(limit)s MB "
                "unpacked). Please save it again, or export it as PDF."
            )
            % {"limit": inspection.MAX_DOCUMENT_XML_BYTES // inspection.MB},
            code,
        )
    if code == "encrypted_document":
        return refused(
            _(
                "This PDF is protected by a password, so the judges could not open it. "
                "Please remove the password, export it again and upload it."
            ),
            code,
        )
    if code == "too_many_pages":
        return refused(
            _("This PDF has %(pages)s pages; at most %(limit)s are allowed.")
            % {"pages": params.get("pages", "?"), "limit": pdf_text.MAX_PDF_PAGES},
            code,
        )
    return refused(
        _(
            "This file took too long or needed too much memory to check. Please upload a "
            "smaller or simpler file."
        ),
        "check_limit",
    )


def sniff(head: bytes) -> str | None:
    """The real type of a file from its first bytes: "jpeg", "png", "webp", "pdf", "zip",
    a video container ("mp4", "mov", "mkv", "avi"), or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head[4:8] == b"ftyp":  # MP4, MOV, 3GP
        return "mov" if head[8:12] == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "mkv"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    return None


def check_size(uploaded, max_file_mb: int) -> None:
    """Refuse empty files and files over the contest's limit (before reading them)."""
    if not uploaded.size:
        raise refused(_("The file is empty."), "empty")
    if uploaded.size > max_file_mb * 1024 * 1024:
        raise refused(
            _("The file is %(size)s; the largest allowed is %(limit)s MB.")
            % {"size": filesizeformat(uploaded.size), "limit": max_file_mb},
            "too_large",
        )


def check_stored_size(entry_file: EntryFile, max_file_mb: int) -> None:
    """The size limit of `check_size`, for a file already stored (re-checked when an entry
    is submitted or edited after the organiser changed the limit)."""
    if entry_file.size_bytes > max_file_mb * 1024 * 1024:
        raise refused(
            _("The file is %(size)s; the largest allowed is %(limit)s MB.")
            % {"size": filesizeformat(entry_file.size_bytes), "limit": max_file_mb},
            "too_large",
        )


def receive(uploaded, *, allowed_kinds, max_file_mb: int) -> Received:
    """The cheap checks of the upload request: size, real type from the first
    `HEAD_BYTES` bytes, kind allowed by the contest. Raises ValidationError.

    Guarantees: reads nothing but the first bytes, decodes nothing, stores nothing.
    """
    check_size(uploaded, max_file_mb)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    real = sniff(head)
    if real is None:
        raise refusal("unsupported_type")
    kind, content_type, extension = RECEIVED_TYPES[real]
    if kind not in allowed_kinds:
        raise refused(
            _("This contest does not accept %(kind)s files.") % {"kind": EntryKind(kind).label},
            "kind_not_allowed",
        )
    return Received(kind, content_type, extension)


def store_pending(
    entry, uploaded, received: Received, *, sort_order: int, replaces: EntryFile | None = None
) -> EntryFile:
    """Keep the raw upload privately, with its EntryFile row in state "pending".

    Guarantees: either the row and its stored bytes both exist, or neither does (the bytes
    are deleted again if the transaction fails). The caller queues the check.
    """
    storage = EntryFile._meta.get_field("file").storage
    name = timezone.now().strftime(RAW_DIRECTORY) + f"{uuid.uuid4().hex}.{received.extension}"
    uploaded.seek(0)
    name = storage.save(name, File(uploaded, name=name))
    try:
        with transaction.atomic():
            return EntryFile.objects.create(
                entry=entry,
                kind=received.kind,
                file=name,
                original_name=os.path.basename(uploaded.name or "")[:255] or received.extension,
                content_type=received.content_type,
                size_bytes=uploaded.size,
                sort_order=sort_order,
                replaces=replaces,
            )
    except BaseException:
        storage.delete(name)
        raise


@contextmanager
def discard_on_error(entry_file: EntryFile):
    """Around work that follows `store_pending` in the same transaction: if it fails, the
    stored bytes are deleted at once (the row vanishes with the rollback)."""
    try:
        yield
    except BaseException:
        entry_file.file.storage.delete(entry_file.file.name)
        raise


def delete_stored(entry_file: EntryFile) -> None:
    """Delete an entry file's row; its stored file (and video) go after commit."""
    entry_file.delete()


def download_name(entry_file: EntryFile) -> str:
    """The name the author downloads their own file under: the name they uploaded it with,
    cleaned of control and direction characters (U+202E makes "作品\u202egnp.exe" read as an
    image), with the extension of what is really stored ("作品gnp.jpg" for a picture that
    was re-encoded as JPEG)."""
    name = PurePath(entry_file.original_name.replace("\\", "/")).name
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = printable(stem).strip(" .")[:80] or "file"
    extension = os.path.splitext(entry_file.file.name)[1].lower()
    return f"{stem}{extension}"


@receiver(post_delete, sender=EntryFile)
def _delete_files_of_entry_file(sender, instance: EntryFile, **kwargs) -> None:
    """However an entry file goes (removed, withdrawn, the author's account deleted), its
    stored file and its video (with the transcoded outputs) go too, once committed."""
    storage, name, video_id = instance.file.storage, instance.file.name, instance.video_id

    def delete_files():
        if name:
            storage.delete(name)
        if video_id:
            Video.objects.filter(pk=video_id).delete()

    transaction.on_commit(delete_files)
