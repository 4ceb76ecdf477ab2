"""Private files handed to the person a view has just allowed to have them.

One function for every permission-checked download (entry files, exports): from the local
disk the file is streamed by Django as before; from object storage the response is a redirect
to a presigned URL that expires within minutes (`KEPU_S3_SIGNED_URL_SECONDS`; a video played
in the page within hours, `KEPU_S3_SIGNED_MEDIA_SECONDS`, as its player seeks with it) and whose
signature fixes the Content-Type and Content-Disposition, so the bucket answers with exactly
the headers Django would have sent (byte ranges included: S3 answers `Range` itself).
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

from kepu.ranges import byte_range, partial_response


def private_file_response(
    request,
    stored,
    *,
    content_type: str,
    filename: str,
    attachment: bool,
    ranges: bool = False,
) -> HttpResponse:
    """The response that delivers `stored` (a FieldFile of a private storage) to `request`.

    Call it only after the permission check. Guarantees: Content-Type is `content_type`,
    Content-Disposition is `attachment` (or `inline`) with `filename` (RFC 6266, non-ASCII
    names included), `X-Content-Type-Options: nosniff`, nothing cached by shared caches, and
    no Referer leaks the link. With `ranges` a single byte range is answered with 206.
    Http404 if the file is gone. The caller may add headers (they apply to the local response
    and to the redirect alike).
    """
    storage, name = stored.storage, stored.name
    if not name:
        raise Http404
    disposition = content_disposition_header(attachment, filename)
    signed_url = getattr(storage, "signed_url", None)
    if signed_url is not None:
        if not storage.exists(name):
            raise Http404
        response = HttpResponseRedirect(
            signed_url(
                name,
                content_type=content_type,
                disposition=disposition,
                expire=(
                    settings.KEPU_S3_SIGNED_MEDIA_SECONDS
                    if ranges
                    else settings.KEPU_S3_SIGNED_URL_SECONDS
                ),
            )
        )
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        size = storage.size(name)
        partial = byte_range(request, size) if ranges else None
        if partial is not None:
            response = partial_response(handle, partial, size, content_type)
        else:
            response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = disposition
        if ranges:
            response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
