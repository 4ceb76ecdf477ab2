"""File storages of the project beyond Django's default (public media)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files kept on the server but never served: original uploads, personal documents.

    Lives in settings.KEPU_PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, and has no URL, so a
    template cannot link to a private file by mistake. Files leave it only through code that
    checks permissions (or, for videos, re-encodes them into public media).

    The location is read from settings on every use, so tests can point it elsewhere.
    """

    @property
    def base_location(self):
        return os.fspath(settings.KEPU_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage():
    """The "private" storage of settings.STORAGES (a callable, so migrations don't pin it)."""
    return storages["private"]
