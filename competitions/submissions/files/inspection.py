"""What a contest upload really is, and a clean copy of it, worked out in a bounded child.

The check worker (checks.py) calls `inspect(op, source, output)`. That runs
`python -m competitions.submissions.files.inspection <op> <source> <output>` under `LIMITS[op]`
(kepu/bounded.py: wall clock, CPU seconds, address space, written file size) and returns
the child's verdict, a dict: `{"ok": True, ...facts}` or `{"ok": False, "code": ...,
"params": {...}}`. Nothing here decodes anything in the calling process.

Ops and what they guarantee:

- "image": reads the pixel count from the header and refuses more than
  `MAX_IMAGE_PIXELS` before decoding a pixel (JPEGs larger than `MAX_IMAGE_SIDE` are
  decoded at a reduced scale), turns the picture upright by its EXIF orientation and writes
  a fresh JPEG (or PNG when it has transparency) without any metadata: no EXIF, GPS, XMP,
  ICC comments or text chunks. Facts: extension, width, height.
- "docx": a real .docx (zip with [Content_Types].xml and word/document.xml, no macros, no
  encrypted or oddly named members), within `MAX_DOCX_UNPACKED_BYTES` unpacked (the
  members' declared sizes, which zipfile enforces while reading) and with word/document.xml
  at most `MAX_DOCUMENT_XML_BYTES`, refused before any of it is read otherwise. The text is
  read with an incremental XML parser. The clean copy is the same package rewritten without
  personal properties (DESIGN.md rule 10): docProps/core.xml, app.xml and custom.xml
  emptied; author, initials and user ids of comments, tracked changes and people.xml
  blanked; links to local files (the template path names the Windows user) dropped;
  the photos pasted into it lose their EXIF/XMP/IPTC segments (GPS positions, the camera
  owner) and their PNG text chunks, without decoding a pixel (`strip_picture_metadata`).
  Facts: text.
- "pdf": pdf_text.clean_pdf (no Info dictionary, no XMP, no annotation authors).
- "pdf-text": pdf_text.read_pdf; `extract_pdf_text(data)` runs it on bytes, for callers
  outside the check worker.

A child that hits a limit is answered with code "check_limit" (for "pdf-text": status
"unreadable", the PDF is then kept without text). This module imports nothing from Django,
so the child starts fast; the worker turns codes into messages for the author
(uploads.refusal).
"""

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from kepu import bounded

from . import pdf_text

logger = logging.getLogger(__name__)

# Largest image accepted, in pixels (about 40 megapixels: any phone photo, no bomb).
MAX_IMAGE_PIXELS = 40_000_000
# Images are scaled down to this longer side when re-encoded.
MAX_IMAGE_SIDE = 4096
JPEG_QUALITY = 88
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
# A .docx whose members would unpack to more than this is refused (zip bombs) …
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
# … and so is one whose main text part alone is larger: an essay is a few hundred KB of
# XML; tens of MB are a bomb or nothing judges could read.
MAX_DOCUMENT_XML_BYTES = 16 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000
MAX_EXTRACTED_CHARS = 200_000
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MB = 1024 * 1024
LIMITS = {
    "image": bounded.Limits(seconds=60, cpu_seconds=40, memory_bytes=1024 * MB, file_bytes=64 * MB),
    "docx": bounded.Limits(
        seconds=60, cpu_seconds=40, memory_bytes=768 * MB, file_bytes=MAX_DOCX_UNPACKED_BYTES
    ),
    "pdf": bounded.Limits(seconds=30, cpu_seconds=25, memory_bytes=768 * MB, file_bytes=200 * MB),
    "pdf-text": bounded.Limits(seconds=15, cpu_seconds=15, memory_bytes=768 * MB, file_bytes=MB),
}
PDF_TEXT_SECONDS = 15

# Parts of a .docx that hold who wrote it, replaced by empty ones of the same type.
EMPTY_PROPERTIES = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<cp:coreProperties "
        b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<Properties "
        b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b"<Properties "
        b'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
}
# w:author / w:initials of comments and tracked changes, w15:author / w15:userId /
# w15:providerId of people.xml: blanked wherever they occur in an XML part.
PERSONAL_ATTRIBUTE = re.compile(
    rb"(\s(?:[A-Za-z_][\w.-]*:)?(?:author|initials|userId|providerId)\s*=\s*)"
    rb"(?:\"[^\"]*\"|'[^']*')"
)
# Relationship targets pointing at local files (C:\Users\<name>\…\Normal.dotm).
LOCAL_TARGET = re.compile(rb"(\sTarget\s*=\s*)(?:\"file:[^\"]*\"|'file:[^']*')", re.IGNORECASE)
# JPEG segments that describe the photo rather than draw it: APP1 (EXIF with GPS, XMP),
# APP13 (IPTC: creator, place) and comments. JFIF, ICC colour profiles (APP2) and Adobe's
# colour transform (APP14) are kept: the picture would look different without them.
JPEG_METADATA_MARKERS = {0xE1, 0xED, 0xFE}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


class Refused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# --- parent side ------------------------------------------------------------------------------


def inspect(
    op: str,
    source: str | os.PathLike,
    output: str | os.PathLike = "",
    *,
    limits: bounded.Limits | None = None,
) -> dict:
    """Run `op` on the file at `source` in a bounded child (`LIMITS[op]` unless `limits`),
    writing any clean copy to `output`. Returns the verdict (see the module docstring);
    returns within the limit's seconds and never raises for a bad file.
    """
    outcome = bounded.run_python(
        __name__, [op, os.fspath(source), os.fspath(output)], limits or LIMITS[op]
    )
    if outcome.ok:
        try:
            verdict = json.loads(outcome.stdout)
        except ValueError:
            verdict = None
        if isinstance(verdict, dict) and "ok" in verdict:
            return verdict
    logger.warning(
        "upload inspection stopped",
        extra={
            "op": op,
            "status": outcome.status,
            "stderr": outcome.stderr[-2000:].decode("utf-8", "replace"),
        },
    )
    if op == "pdf-text":
        return {"ok": True, "status": "unreadable"}
    return {"ok": False, "code": "check_limit", "params": {}}


@dataclass(frozen=True)
class PdfText:
    status: str  # "ok", "broken", "encrypted", "too_many_pages" or "unreadable"
    text: str = ""
    pages: int = 0


def extract_pdf_text(data: bytes, *, timeout: float | None = None) -> PdfText:
    """Read the text of the PDF `data` in a bounded child process (time, memory, pages).

    Guarantees: returns within about `timeout` (default `PDF_TEXT_SECONDS`) seconds whatever
    the file holds; never raises for a bad file; the text has at most
    `pdf_text.MAX_TEXT_CHARS` characters; the temporary copy of `data` is deleted.
    """
    limits = replace(LIMITS["pdf-text"], seconds=timeout or PDF_TEXT_SECONDS)
    with tempfile.TemporaryDirectory(prefix="kepu-pdf-") as workdir:
        source = Path(workdir) / "source.pdf"
        source.write_bytes(data)
        result = inspect("pdf-text", source, limits=limits)
    return PdfText(
        str(result.get("status", "unreadable")),
        str(result.get("text", ""))[: pdf_text.MAX_TEXT_CHARS],
        int(result.get("pages", 0)),
    )


# --- child side -------------------------------------------------------------------------------


def inspect_image(source: str, output: str) -> dict:
    """Decode an image under the pixel limit and write it again without metadata."""
    from PIL import Image, ImageOps  # in the child only: the parent never decodes an image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as probe:
                if probe.format not in IMAGE_FORMATS:
                    raise Refused("unsupported_type")
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise Refused("too_many_pixels")
                probe.verify()
            with Image.open(source) as opened:
                opened.seek(0)  # the first picture of an MPO or an animated WebP
                if opened.format in ("JPEG", "MPO") and max(opened.size) > MAX_IMAGE_SIDE:
                    opened.draft(opened.mode, (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                opened.load()
                ImageOps.exif_transpose(opened, in_place=True)
                image = opened
        except Refused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Refused("too_many_pixels") from exc
        except MemoryError:
            raise
        except Exception as exc:  # a hostile file may make a decoder raise anything
            raise Refused("bad_image") from exc
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
    del image
    if has_alpha:
        clean.save(output, format="PNG", optimize=True)
        extension = "png"
    else:
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        extension = "jpg"
    return {"ok": True, "extension": extension, "width": clean.width, "height": clean.height}


def inspect_docx(source: str, output: str) -> dict:
    """Check a .docx, read its text, and write it again without personal properties."""
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            _check_package(members)
            if archive.getinfo("word/document.xml").file_size > MAX_DOCUMENT_XML_BYTES:
                raise Refused("document_too_large", limit=MAX_DOCUMENT_XML_BYTES // MB)
            with archive.open("word/document.xml") as document:
                text = _document_text(document)
            _write_clean_package(archive, members, output)
    except Refused:
        raise
    except MemoryError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError) as exc:
        raise Refused("bad_document", format="docx") from exc
    except (ElementTree.ParseError, ValueError, EOFError) as exc:
        raise Refused("bad_document", format="docx") from exc
    return {"ok": True, "text": text}


def _check_package(members: list[zipfile.ZipInfo]) -> None:
    names = [info.filename for info in members]
    broken = Refused("bad_document", format="docx")
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise broken
    if len(names) > MAX_DOCX_MEMBERS or len(set(names)) != len(names):
        raise broken  # duplicate names: two readers could see two different documents
    if "word/vbaProject.bin" in names:
        raise broken  # macros: a .docm in disguise
    if sum(info.file_size for info in members) > MAX_DOCX_UNPACKED_BYTES:
        raise broken
    for info in members:
        path = PurePosixPath(info.filename)
        if info.flag_bits & 0x1 or path.is_absolute() or ".." in path.parts or "\\" in str(path):
            raise broken


def _document_text(stream) -> str:
    """The paragraphs of word/document.xml on lines, parsed incrementally (expat refuses
    entity expansion bombs; elements are dropped as soon as their paragraph is read)."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    lines: list[str] = []
    current: list[str] = []
    size = 0
    stack: list[ElementTree.Element] = []
    for chunk in iter(lambda: stream.read(64 * 1024), b""):
        parser.feed(chunk)
        for event, element in parser.read_events():
            if event == "start":
                stack.append(element)
                continue
            stack.pop()
            if element.tag == f"{WORD_NS}t" and size < MAX_EXTRACTED_CHARS:
                current.append(element.text or "")
                size += len(element.text or "")
            elif element.tag == f"{WORD_NS}p":
                line = "".join(current)
                if line.strip():
                    lines.append(line)
                current = []
                element.clear()
                if stack:
                    stack[-1].remove(element)
    parser.close()
    return "\n".join(lines)[:MAX_EXTRACTED_CHARS]


def _write_clean_package(archive: zipfile.ZipFile, members, output: str) -> None:
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as clean:
        for info in members:
            target = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            target.compress_type = zipfile.ZIP_DEFLATED
            if info.is_dir():
                continue
            if info.filename in EMPTY_PROPERTIES:
                clean.writestr(target, EMPTY_PROPERTIES[info.filename])
            elif info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    data = part.read(MAX_DOCUMENT_XML_BYTES + 1)
                if len(data) > MAX_DOCUMENT_XML_BYTES:
                    raise Refused("document_too_large", limit=MAX_DOCUMENT_XML_BYTES // MB)
                data = PERSONAL_ATTRIBUTE.sub(rb'\1""', data)
                data = LOCAL_TARGET.sub(rb'\1""', data)
                clean.writestr(target, data)
            elif info.filename.lower().endswith((".jpg", ".jpeg", ".png")):
                with archive.open(info) as part:
                    clean.writestr(target, strip_picture_metadata(part.read()))
            else:
                with archive.open(info) as part, clean.open(target, "w") as copy:
                    shutil.copyfileobj(part, copy, 256 * 1024)


def strip_picture_metadata(data: bytes) -> bytes:
    """A JPEG without its `JPEG_METADATA_MARKERS` segments, or a PNG without its
    `PNG_METADATA_CHUNKS`, by walking the file's structure: no pixel is decoded, and the
    picture is unchanged. Anything else is returned as it is; where a damaged file's
    structure ends, the rest is copied as it is."""
    if data.startswith(b"\xff\xd8"):
        return _strip_jpeg(data)
    if data.startswith(PNG_SIGNATURE):
        return _strip_png(data)
    return data


def _strip_jpeg(data: bytes) -> bytes:
    kept, at = [data[:2]], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the compressed picture follows
            break
        end = at + 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        if end > len(data):
            break
        if marker not in JPEG_METADATA_MARKERS:
            kept.append(data[at:end])
        at = end
    kept.append(data[at:])
    return b"".join(kept)


def _strip_png(data: bytes) -> bytes:
    kept, at = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while at + 12 <= len(data):
        end = at + 12 + int.from_bytes(data[at : at + 4], "big")
        if end > len(data):
            break
        if data[at + 4 : at + 8] not in PNG_METADATA_CHUNKS:
            kept.append(data[at:end])
        at = end
    kept.append(data[at:])
    return b"".join(kept)


OPS = {
    "image": inspect_image,
    "docx": inspect_docx,
}


def _main(argv: list[str]) -> dict:
    op, source, output = argv[0], argv[1], argv[2] if len(argv) > 2 else ""
    if op == "pdf-text":
        return pdf_text.read_pdf(Path(source).read_bytes())
    if op == "pdf":
        return pdf_text.clean_pdf(source, output)
    try:
        return OPS[op](source, output)
    except Refused as refusal:
        return {"ok": False, "code": refusal.code, "params": refusal.params}


if __name__ == "__main__":
    try:
        verdict = _main(sys.argv[1:])
    except MemoryError:
        sys.exit(3)  # the parent answers "check_limit"
    json.dump(verdict, sys.stdout, ensure_ascii=False)
