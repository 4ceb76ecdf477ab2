"""Checking and storing the files of contest entries (DESIGN.md rule 5).

Files are judged by their content, never by their name or the browser's content type:

- images (JPEG, PNG, WebP) are opened with Pillow under a pixel limit (decompression
  bombs are refused before any pixel is decoded), turned upright by their EXIF orientation
  and re-encoded without any metadata (no EXIF, no GPS: the authors are children);
- documents are .docx (a real zip holding word/document.xml; its text is extracted for
  judges and search) or PDF (a `%PDF-` header and an end-of-file marker, then read by pypdf
  in a bounded child process, pdf_text.py: password-protected, unreadable or over-long PDFs
  are refused; one that exceeds the time or memory bound is kept without text);
- videos are probed with ffprobe (content.video_probe) and then go through the content
  app's transcoding pipeline (a content.Video with private outputs,
  content.video.request_transcode), so the phone-ready MP4 and its poster stay private;
- anything else (SVG, HTML, executables whatever they are called …) is refused.

Every refusal is a ValidationError with a message for the author and stores nothing.
"""

import io
import os
import re
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from content import video_probe

from . import pdf_text
from .models import EntryFile, EntryKind

# Largest image accepted, in pixels (about 40 megapixels: any phone photo, no bomb).
MAX_IMAGE_PIXELS = 40_000_000
# Images are scaled down to this longer side when re-encoded.
MAX_IMAGE_SIDE = 4096
JPEG_QUALITY = 88
# A .docx whose parts would unpack to more than this is refused (zip bombs).
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_EXTRACTED_CHARS = 200_000
HEAD_BYTES = 64
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

VIDEO_TYPES = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "mkv": "video/x-matroska",
    "avi": "video/x-msvideo",
}
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "MPO": None}


@dataclass
class CheckedFile:
    """A file that passed the checks, ready to store."""

    kind: str
    content: bytes | None  # the bytes to store (re-encoded images, documents)
    name: str  # the stored name's base, with the extension of the real type
    content_type: str
    width: int | None = None
    height: int | None = None
    extracted_text: str = ""
    video_info: video_probe.VideoInfo | None = None


def refused(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _not_accepted() -> ValidationError:
    return refused(
        _(
            "This file type is not accepted. Please upload a JPG or PNG image, a Word (.docx) "
            "or PDF document, or an MP4/MOV video."
        ),
        "unsupported_type",
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


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    data = b"".join(uploaded.chunks())
    uploaded.seek(0)
    return data


def _safe_base_name(original_name: str) -> str:
    stem = Path(original_name or "").stem
    stem = re.sub(r"[^\w\-]+", "_", stem, flags=re.UNICODE).strip("_")[:40]
    return stem or "file"


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


def check_image(data: bytes) -> tuple[bytes, str, int, int]:
    """Decode an image safely and re-encode it without metadata.

    Returns (bytes, extension, width, height). JPEG for photos, PNG when the image has
    transparency. Refuses decompression bombs before decoding their pixels.
    """
    broken = refused(
        _("The image cannot be read; it may be damaged. Please upload a JPG or PNG image."),
        "bad_image",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise _not_accepted()
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width, height)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)
                image.load()
                image = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels(0, 0) from exc
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise broken from exc
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > MAX_IMAGE_SIDE:
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info dict: no EXIF, GPS, XMP, ICC comments or text chunks.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        extension = "png"
    else:
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return out.getvalue(), extension, clean.width, clean.height


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return refused(
        _(
            "The image is too large in pixels (at most %(limit)s million pixels). "
            "Please upload a smaller picture."
        )
        % {"limit": MAX_IMAGE_PIXELS // 1_000_000},
        "too_many_pixels",
    )


def check_docx(data: bytes) -> str:
    """Check that `data` is a real .docx and return its text (paragraphs on lines)."""
    broken = refused(
        _("This Word document cannot be read. Please save it as .docx or PDF and try again."),
        "bad_document",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise broken
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED_BYTES:
                raise broken
            if "word/vbaProject.bin" in names:
                raise broken  # macros: a .docm in disguise
            xml = archive.read("word/document.xml")
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError) as exc:
        raise broken from exc
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 (expat refuses entity expansion bombs)
    except ElementTree.ParseError as exc:
        raise broken from exc
    lines = []
    for paragraph in root.iter(f"{WORD_NS}p"):
        lines.append("".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t")))
    return "\n".join(line for line in lines if line.strip())[:MAX_EXTRACTED_CHARS]


def check_pdf(data: bytes) -> str:
    """Check that `data` is a readable PDF and return its text (see pdf_text.py).

    Refused: no PDF header or end-of-file marker, a file pypdf cannot read, one that needs
    a password, more than `pdf_text.MAX_PDF_PAGES` pages. Accepted without text: a scanned
    PDF, or one whose reading hits the time or memory bound.
    """
    unreadable = refused(
        _("This PDF cannot be read; it may be incomplete. Please export it again."),
        "bad_document",
    )
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise unreadable
    result = pdf_text.extract_pdf_text(data)
    if result.status == "broken":
        raise unreadable
    if result.status == "encrypted":
        raise refused(
            _(
                "This PDF is protected by a password, so the judges could not open it. "
                "Please remove the password, export it again and upload it."
            ),
            "encrypted_document",
        )
    if result.status == "too_many_pages":
        raise refused(
            _("This PDF has %(pages)s pages; at most %(limit)s are allowed.")
            % {"pages": result.pages, "limit": pdf_text.MAX_PDF_PAGES},
            "too_many_pages",
        )
    return result.text[:MAX_EXTRACTED_CHARS]


def check_file(uploaded, *, allowed_kinds, max_file_mb: int) -> CheckedFile:
    """Check an uploaded file against a contest's rules. Raises ValidationError.

    Guarantees: nothing is stored; the returned kind is the real kind of the content and
    is one of `allowed_kinds`.
    """
    check_size(uploaded, max_file_mb)
    uploaded.seek(0)
    head = uploaded.read(HEAD_BYTES)
    uploaded.seek(0)
    real = sniff(head)
    if real is None:
        raise _not_accepted()
    kind = {
        "jpeg": EntryKind.IMAGE,
        "png": EntryKind.IMAGE,
        "webp": EntryKind.IMAGE,
        "pdf": EntryKind.DOCUMENT,
        "zip": EntryKind.DOCUMENT,
        "mp4": EntryKind.VIDEO,
        "mov": EntryKind.VIDEO,
        "mkv": EntryKind.VIDEO,
        "avi": EntryKind.VIDEO,
    }[real]
    if kind not in allowed_kinds:
        raise refused(
            _("This contest does not accept %(kind)s files.") % {"kind": EntryKind(kind).label},
            "kind_not_allowed",
        )
    base = _safe_base_name(uploaded.name)
    if kind == EntryKind.IMAGE:
        content, extension, width, height = check_image(_read_all(uploaded))
        return CheckedFile(
            kind=kind,
            content=content,
            name=f"{base}.{extension}",
            content_type="image/png" if extension == "png" else "image/jpeg",
            width=width,
            height=height,
        )
    if kind == EntryKind.DOCUMENT:
        data = _read_all(uploaded)
        if real == "pdf":
            text = check_pdf(data)
            return CheckedFile(kind, data, f"{base}.pdf", "application/pdf", extracted_text=text)
        text = check_docx(data)
        return CheckedFile(
            kind,
            data,
            f"{base}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            extracted_text=text,
        )
    # Video: ffprobe reads the whole container; a truncated file has no readable moov/index.
    info = video_probe.validate_upload(uploaded)
    return CheckedFile(
        kind,
        None,
        f"{base}.{real}",
        VIDEO_TYPES[real],
        width=info.width if info else None,
        height=info.height if info else None,
        video_info=info,
    )


def store_file(entry, uploaded, checked: CheckedFile, *, sort_order: int = 0) -> EntryFile:
    """Store a checked file in private storage together with its EntryFile row.

    Guarantees: either the row and its file(s) both exist, or neither does (the file is
    deleted again if the transaction fails). Videos become a content.Video whose transcode
    is queued through the outbox in the same transaction.
    """
    from content.video import request_transcode
    from content.video_models import Video

    stored_names = []
    storage = EntryFile._meta.get_field("file").storage
    try:
        with transaction.atomic():
            video = None
            if checked.kind == EntryKind.VIDEO:
                uploaded.seek(0)
                # private_outputs: the MP4 and poster of a child's video stay private too,
                # served by views.entry_file (publicly only when the entry is displayable).
                video = Video(
                    title=f"{entry.contest_id}-{entry.pk}",
                    size_bytes=uploaded.size,
                    private_outputs=True,
                )
                video.original.save(checked.name, File(uploaded, name=checked.name), save=False)
                stored_names.append((video.original.storage, video.original.name))
                video.save()
                request_transcode(video)
                name = video.original.name
                size = uploaded.size
            else:
                name = storage.save(
                    EntryFile._meta.get_field("file").generate_filename(None, checked.name),
                    ContentFile(checked.content),
                )
                stored_names.append((storage, name))
                size = len(checked.content)
            return EntryFile.objects.create(
                entry=entry,
                kind=checked.kind,
                file=name,
                original_name=os.path.basename(uploaded.name or checked.name)[:255],
                content_type=checked.content_type,
                size_bytes=size,
                width=checked.width,
                height=checked.height,
                extracted_text=checked.extracted_text,
                video=video,
                sort_order=sort_order,
            )
    except BaseException:
        for file_storage, file_name in stored_names:
            file_storage.delete(file_name)
        raise


@contextmanager
def discard_on_error(entry_file: EntryFile):
    """Around work that follows `store_file` in the same transaction: if it fails, the
    stored file is deleted at once (its rows vanish with the rollback; a video's original
    is the same stored file)."""
    try:
        yield
    except BaseException:
        entry_file.file.storage.delete(entry_file.file.name)
        raise


def delete_stored(entry_file: EntryFile) -> None:
    """Delete an entry file's row; its stored file (and video) go after commit."""
    entry_file.delete()


@receiver(post_delete, sender=EntryFile)
def _delete_files_of_entry_file(sender, instance: EntryFile, **kwargs) -> None:
    """However an entry file goes (removed, withdrawn, the author's account deleted), its
    stored file and its video (with the transcoded outputs) go too, once committed."""
    from content.video_models import Video

    storage, name, video_id = instance.file.storage, instance.file.name, instance.video_id

    def delete_files():
        if name:
            storage.delete(name)
        if video_id:
            Video.objects.filter(pk=video_id).delete()

    transaction.on_commit(delete_files)
