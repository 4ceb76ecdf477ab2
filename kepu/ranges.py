"""Serving files in byte ranges (HTTP 206).

Phones' video players (Safari on iPhone, WeChat on iOS) ask for `Range: bytes=…` and play only
what is answered with 206 Partial Content; a 200 with the whole file leaves them with a
black frame. Used for entry videos (competitions/submissions/files/serving.py) and for public media
when Django serves it (kepu/media.py).
"""

import re

from django.http import StreamingHttpResponse

RANGE_PATTERN = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 256 * 1024


def byte_range(request, size: int) -> tuple[int, int] | None:
    """(first, last) of a single "Range: bytes=…" request header, or None to send the whole
    file. An unsatisfiable or multi-part range is answered with the whole file."""
    match = RANGE_PATTERN.match(request.headers.get("Range", "").strip())
    if match is None or size == 0:
        return None
    start, end = match.groups()
    if start == "" and end == "":
        return None
    if start == "":
        first, last = max(size - int(end), 0), size - 1
    else:
        first = int(start)
        last = min(int(end), size - 1) if end else size - 1
    if first > last or first >= size:
        return None
    return first, last


def partial_response(handle, byte_range: tuple[int, int], size: int, content_type: str):
    """A 206 response streaming bytes first..last of `handle` (never all in memory); the
    handle is closed when the response is."""
    first, last = byte_range

    def chunks():
        with handle:
            handle.seek(first)
            remaining = last - first + 1
            while remaining > 0:
                data = handle.read(min(CHUNK_SIZE, remaining))
                if not data:
                    break
                remaining -= len(data)
                yield data

    response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
    response["Content-Length"] = str(last - first + 1)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Disposition"] = "inline"
    response["Accept-Ranges"] = "bytes"
    return response
