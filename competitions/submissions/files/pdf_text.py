"""PDFs of contest entries: a copy without author metadata, and the text, both made with pypdf
in a bounded child process (inspection.py runs these functions there; kepu/bounded.py sets
the limits).

PDFs come from children's phones and from anyone who signs up, so parsing one is treated as
hostile work. Two separate child runs, so that a PDF whose text is too slow to read still
gets its clean copy:

1. `clean_pdf` ("pdf"): reads the file and writes it again without the Info dictionary
   (Author, Creator, Producer …), without XMP metadata streams (the document's, its
   pages' and its objects') and without the authors of annotations (DESIGN.md rule 10:
   judges download this copy). Outcomes:
   - "ok": the clean copy is written;
   - "broken": pypdf cannot read it → refused ("cannot be read");
   - "encrypted": it needs a password to open → refused (judges could not open it either);
     a PDF that only restricts printing or copying (empty user password) is read normally
     and its clean copy carries no restriction;
   - "too_many_pages": more than `MAX_PDF_PAGES` → refused;
   - a limit hit → refused as too complex to check ("check_limit").
2. `read_pdf` ("pdf-text", on the clean copy): the text for judges and search, cut at
   `MAX_TEXT_CHARS`; a scanned PDF has none. When reading hits the time or memory bound the
   PDF is accepted without text ("unreadable"; judges download the file).

`inspection.extract_pdf_text(data)` runs step 2 on bytes, for callers outside the check
worker. Like inspection.py, this module imports nothing from Django; pypdf is imported only
in the child, where the work happens.
"""

import io
import logging

MAX_PDF_PAGES = 100
MAX_TEXT_CHARS = 200_000


class Unusable(Exception):
    """A PDF the site does not take: "encrypted" or "too_many_pages"."""

    def __init__(self, status: str, pages: int = 0):
        super().__init__(status)
        self.status = status
        self.pages = pages


def _open(data_or_path):
    """A PdfReader, decrypted when only an empty password is needed. Raises Unusable."""
    # pypdf loads only in the child process (the web and worker processes import this module).
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    reader = PdfReader(data_or_path, strict=False)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise Unusable("encrypted")
        except (PyPdfError, NotImplementedError, ValueError) as exc:
            raise Unusable("encrypted") from exc  # e.g. an algorithm we cannot decrypt
    pages = len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise Unusable("too_many_pages", pages)
    return reader


def clean_pdf(source: str, output: str) -> dict:
    """Write `source` to `output` without author metadata (runs in the child process).

    Returns an inspection verdict: {"ok": True, "pages": n} or a refusal code
    ("encrypted_document", "too_many_pages", "bad_document")."""
    from pypdf import PdfWriter  # in the child only, like `_open`

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # warnings about sloppy files
    try:
        reader = _open(source)
        writer = PdfWriter(clone_from=reader)
        writer.pdf_header = reader.pdf_header  # the version the features need, not 1.3
        writer.metadata = None
        writer.xmp_metadata = None
        _strip_metadata(writer.root_object)
        # The removed dictionaries and streams would otherwise still be written, unreferenced.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        with open(output, "wb") as handle:
            writer.write(handle)
    except Unusable as unusable:
        if unusable.status == "encrypted":
            return {"ok": False, "code": "encrypted_document", "params": {}}
        params = {"pages": unusable.pages, "limit": MAX_PDF_PAGES}
        return {"ok": False, "code": "too_many_pages", "params": params}
    except MemoryError:
        raise
    except Exception:  # a hostile file may raise anything; we only report
        return {"ok": False, "code": "bad_document", "params": {"format": "pdf"}}
    return {"ok": True, "pages": len(reader.pages)}


def _strip_metadata(root) -> None:
    """Remove every XMP stream and every annotation author reachable from `root` (a walk
    with an explicit stack: hostile files nest deeply and refer in circles)."""
    from pypdf.generic import (  # in the child only, like `_open`
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
    )

    stack, seen = [root], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            item.pop(NameObject("/Metadata"), None)
            # A markup annotation's /T is the name of whoever wrote it (a form field's /T
            # is the field's name, kept).
            if "/Rect" in item and item.get("/Subtype") != "/Widget":
                item.pop(NameObject("/T"), None)
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def read_pdf(data: bytes) -> dict:
    """The text extraction itself (runs in the child process): status, text and pages."""
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = _open(io.BytesIO(data))
        pages = len(reader.pages)
        parts, size = [], 0
        for page in reader.pages:
            text = (page.extract_text() or "").strip()
            if text:
                parts.append(text)
                size += len(text) + 1
            if size >= MAX_TEXT_CHARS:
                break
    except Unusable as unusable:
        return {"ok": False, "status": unusable.status, "pages": unusable.pages}
    except MemoryError:
        return {"ok": True, "status": "unreadable"}
    except Exception as exc:  # a hostile file may raise anything; we only report
        return {"ok": False, "status": "broken", "error": type(exc).__name__}
    return {"ok": True, "status": "ok", "text": "\n".join(parts)[:MAX_TEXT_CHARS], "pages": pages}
