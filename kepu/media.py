"""Public media files (images, renditions, transcoded videos) served by Django itself.

In the embedded default (and in production when `KEPU_SERVE_MEDIA` is on, e.g. behind a
proxy that does not serve files) this replaces `django.views.static.serve`, which answers
every request with the whole file: iPhone Safari and WeChat on iOS then cannot play videos.
Here a single byte range is answered with 206 (kepu/ranges.py), conditional requests with
304, and Wagtail documents stay behind their own permission-checking view
(`WAGTAILDOCS_SERVE_METHOD = "serve_view"`).
"""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods
from django.views.static import was_modified_since

from kepu.ranges import byte_range, partial_response

# Served only through their own views, never as plain media.
PRIVATE_PREFIXES = ("documents/",)


@require_http_methods(["GET", "HEAD"])
def serve_media(request, path: str):
    if path.startswith(PRIVATE_PREFIXES):
        raise Http404
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except SuspiciousFileOperation as exc:
        raise Http404 from exc
    if not full_path.is_file():
        raise Http404
    stat = full_path.stat()
    if not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime):
        return HttpResponseNotModified()
    content_type = mimetypes.guess_type(full_path.name)[0] or "application/octet-stream"
    handle = full_path.open("rb")
    partial = byte_range(request, stat.st_size)
    if partial is not None:
        response = partial_response(handle, partial, stat.st_size, content_type)
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["X-Content-Type-Options"] = "nosniff"
    return response
