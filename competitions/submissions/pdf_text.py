"""The text of an uploaded PDF, for judges and search, extracted with pypdf in a bounded
child process.

PDFs come from children's phones and from anyone who signs up, so parsing one is treated as
hostile work: it runs in a separate Python process (`python -m
competitions.submissions.pdf_text`) with a wall-clock limit (`PDF_TEXT_SECONDS`), an address
space limit (`PDF_TEXT_MEMORY_BYTES`) and a page limit, and its text is cut at
`MAX_TEXT_CHARS`. The request waits for it, so an edit re-runs exactly the same checks.

Outcomes (decided here, documented in docs/contests.md):

- "ok": text extracted (maybe empty: a scanned PDF has no text layer; judges open the file);
- "broken": pypdf cannot read it → the upload is refused ("cannot be read");
- "encrypted": it needs a password to open → refused (judges could not open it either); a
  PDF that only restricts printing or copying (empty user password) is read normally;
- "too_many_pages": more than `MAX_PDF_PAGES` → refused;
- "unreadable": the time or memory limit stopped the extraction → accepted without text
  (the file itself is stored privately and judges download it as an attachment).

This module imports nothing from Django at import time, so the child process starts fast.
"""

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass

MAX_PDF_PAGES = 100
MAX_TEXT_CHARS = 200_000
PDF_TEXT_SECONDS = 15
PDF_TEXT_MEMORY_BYTES = 768 * 1024 * 1024


@dataclass(frozen=True)
class PdfText:
    status: str  # "ok", "broken", "encrypted", "too_many_pages" or "unreadable"
    text: str = ""
    pages: int = 0


def extract_pdf_text(data: bytes, *, timeout: float | None = None) -> PdfText:
    """Read the text of the PDF `data` in a child process under time, memory and page limits.

    Guarantees: returns within about `timeout` (default `PDF_TEXT_SECONDS`) seconds whatever
    the file holds; never raises for a bad file; the text has at most `MAX_TEXT_CHARS`
    characters; nothing is written to disk.
    """
    try:
        completed = subprocess.run(  # noqa: S603 (our own module, fixed arguments, no shell)
            [sys.executable, "-m", __name__, str(PDF_TEXT_MEMORY_BYTES)],
            input=data,
            capture_output=True,
            timeout=timeout or PDF_TEXT_SECONDS,
            check=False,
            env={**os.environ, "PYTHONPATH": _import_path(), "PYTHONWARNINGS": "ignore"},
        )
    except subprocess.TimeoutExpired:
        return PdfText("unreadable")
    if completed.returncode != 0:
        return PdfText("unreadable")  # out of memory, or killed
    try:
        result = json.loads(completed.stdout)
    except ValueError:
        return PdfText("unreadable")
    return PdfText(
        str(result.get("status", "unreadable")),
        str(result.get("text", ""))[:MAX_TEXT_CHARS],
        int(result.get("pages", 0)),
    )


def _import_path() -> str:
    """PYTHONPATH for the child: the project root first, so `-m` finds this module however
    the server was started."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)


def read_pdf(data: bytes) -> dict:
    """The extraction itself (runs in the child process): status, text and page count."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # warnings about sloppy files
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    return {"status": "encrypted"}
            except (PyPdfError, NotImplementedError, ValueError):
                return {"status": "encrypted"}  # e.g. an algorithm we cannot decrypt
        pages = len(reader.pages)
        if pages > MAX_PDF_PAGES:
            return {"status": "too_many_pages", "pages": pages}
        parts, size = [], 0
        for page in reader.pages:
            text = (page.extract_text() or "").strip()
            if text:
                parts.append(text)
                size += len(text) + 1
            if size >= MAX_TEXT_CHARS:
                break
    except MemoryError:
        return {"status": "unreadable"}
    except Exception as exc:  # a hostile file may raise anything; we only report
        return {"status": "broken", "error": type(exc).__name__}
    return {"status": "ok", "text": "\n".join(parts)[:MAX_TEXT_CHARS], "pages": pages}


def _main() -> None:
    import resource

    memory = int(sys.argv[1]) if len(sys.argv) > 1 else PDF_TEXT_MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data = sys.stdin.buffer.read()
    json.dump(read_pdf(data), sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    _main()
