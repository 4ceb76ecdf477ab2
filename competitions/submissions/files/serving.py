"""Serving the bytes of an entry file, after checking permission on every request."""

from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from kepu.downloads import private_file_response

from ..models import EntryFile
from . import uploads
from .access import may_fetch
from .links import uploads_origin, user_from_token
from .variants import ORIGINAL, VIDEO, stored_variant

FILE_CSP = "default-src 'none'; sandbox"


def serve(request, file_id: int, variant: str):
    """Serve one variant of an entry file after checking permission, on every request.

    Responses carry `nosniff` and a sandboxing CSP; documents and video originals are
    downloads (`Content-Disposition: attachment`), images and the transcoded video and
    poster may show inline. When a separate uploads origin is configured, requests
    arriving on any other host are refused, and a request without a token is treated as
    anonymous (only public files). Anonymous visitors get public files (`is_public_file`);
    for anything else they are sent to sign in (or refused on the uploads origin). The
    transcoded video is also served in single byte ranges (206), which phones' players need.
    """
    origin = uploads_origin()
    entry_file = get_object_or_404(
        EntryFile.objects.select_related("entry", "entry__author", "video"), pk=file_id
    )
    if origin:
        if request.get_host().lower() != (urlsplit(origin).netloc or "").lower():
            raise Http404
        token = request.GET.get("t", "")
        user = user_from_token(token, file_id) if token else None
        if token and user is None:
            return HttpResponse(status=403)
        if not may_fetch(user, entry_file, variant):
            if user is None:
                return HttpResponse(status=403)
            raise Http404
    else:
        user = request.user
        if not may_fetch(user, entry_file, variant):
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
    found = stored_variant(entry_file, variant)
    if found is None:
        raise Http404
    stored, content_type, extension, inline = found
    # Only the author sees the original file name: it often carries the child's name, and
    # judges and the public must not learn who wrote the entry. Either way the extension is
    # that of what is stored (a re-encoded picture is a .jpg, whatever it was called).
    if user is not None and entry_file.entry.author_id == user.pk and variant == ORIGINAL:
        filename = uploads.download_name(entry_file)
    else:
        filename = f"{entry_file.entry.display_number}-{entry_file.pk}{extension}"
    response = private_file_response(
        request,
        stored,
        content_type=content_type,
        filename=filename,
        attachment=not inline,
        ranges=variant == VIDEO,
    )
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-site"
    response["Referrer-Policy"] = "no-referrer"
    return response
