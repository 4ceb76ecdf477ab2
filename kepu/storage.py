"""File storages of the project beyond Django's default (public media).

Two kinds of place hold files: the local disk (the embedded default) and S3-compatible object
storage (Aliyun OSS, Tencent COS, Huawei OBS, Ceph, MinIO, AWS), chosen by the `KEPU_S3_*`
settings (kepu/settings/object_storage.py). Code reaches files only through the named storages
of settings.STORAGES ("default" for public media, "private", "staticfiles") and the helpers
here, never through a path on disk, so both places behave the same.
"""

import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

COPY_CHUNK = 1024 * 1024


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


class PublicS3Storage(S3Storage):
    """Public media in a bucket: objects readable by anyone (or through the custom domain),
    except Wagtail documents, which stay private objects because they leave only through
    Wagtail's permission-checking view (`WAGTAILDOCS_SERVE_METHOD = "serve_view"`)."""

    def get_object_parameters(self, name):
        parameters = super().get_object_parameters(name)
        if name.startswith("documents/"):
            parameters["ACL"] = "private"
        return parameters


class PrivateS3Storage(S3Storage):
    """Private files in a bucket: private objects, no URL anyone could keep.

    `url()` refuses, as on the local disk; a file leaves only through `signed_url()`, called by
    kepu/downloads.py after the caller's permission check: a presigned GET that expires within
    minutes and fixes the response's Content-Type and Content-Disposition in its signature.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL.")

    def signed_url(self, name: str, *, content_type: str, disposition: str, expire: int) -> str:
        """A presigned GET of `name` valid for `expire` seconds whose response carries exactly
        this Content-Type and Content-Disposition (whatever the object's metadata says) and
        is never cached by a shared cache."""
        parameters = {
            "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition,
            "ResponseCacheControl": "private, no-store",
        }
        return super().url(name, parameters=parameters, expire=expire)


class _PrivateStorage(LazyObject):
    """storages["private"], looked up on first use, like Django's `default_storage`: a model
    field holds this object, so the storage follows settings.STORAGES (tests switch it)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    """The "private" storage of settings.STORAGES (a callable, so migrations don't pin it)."""
    return _private


def copy_to_local(storage: Storage, name: str, target: Path) -> Path:
    """Copy the stored file `name` to the local path `target` in chunks (never all in memory)
    and return `target`. Workers that hand a file to a child process (ffmpeg, the bounded
    upload checks) use it: a file in object storage has no path. FileNotFoundError if the
    file is gone."""
    with storage.open(name, "rb") as stored, target.open("wb") as copy:
        shutil.copyfileobj(stored, copy, COPY_CHUNK)
    return target
