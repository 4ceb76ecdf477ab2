"""The links to entry files handed to people: for the signed-in user (with a signed,
short-lived token when files are served from a separate origin) and for public pages."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from ..models import EntryFile
from .variants import ORIGINAL, URL_NAMES

FILE_LINK_SALT = "submissions.entry-file"
FILE_LINK_SECONDS = 60 * 60


def uploads_origin() -> str:
    """The separate origin entry files are served from (settings.KEPU_UPLOADS_ORIGIN), or ""
    when they are served by the site itself."""
    return (settings.KEPU_UPLOADS_ORIGIN or "").rstrip("/")


def file_url(request, entry_file: EntryFile, variant: str = ORIGINAL) -> str:
    """The link to an entry file (or its transcoded video or poster) for the signed-in user.

    With settings.KEPU_UPLOADS_ORIGIN the link points at that separate origin and carries
    a signed, short-lived token naming the file and the user (no cookies are shared with
    the files origin); the permission is checked again when the file is requested.
    """
    path = reverse(URL_NAMES[variant], kwargs={"file_id": entry_file.pk})
    origin = uploads_origin()
    if not origin:
        return path
    token = signing.dumps({"f": entry_file.pk, "u": request.user.pk}, salt=FILE_LINK_SALT)
    return f"{origin}{path}?t={token}"


def public_file_url(entry_file: EntryFile, variant: str = ORIGINAL) -> str:
    """The link public pages use for a displayable entry's image, video or poster: no
    token (the file view checks `is_public_file` on every request)."""
    return uploads_origin() + reverse(URL_NAMES[variant], kwargs={"file_id": entry_file.pk})


def user_from_token(token: str, file_id: int):
    """The user a `file_url` token was made for, if it is genuine, unexpired and names
    `file_id`; otherwise None."""
    try:
        data = signing.loads(token, salt=FILE_LINK_SALT, max_age=FILE_LINK_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("f") != file_id:
        return None
    return get_user_model().objects.filter(pk=data.get("u")).first()
