"""S3-compatible object storage from `KEPU_S3_*` environment variables (kepu/storage.py).

Off unless KEPU_S3_ENDPOINT_URL is set: the embedded default keeps every file on the local
disk. On, public media and private files go to two buckets (never one: a bucket made
readable by a policy would expose private files), static files optionally to a third.
Aliyun OSS, Tencent COS, Huawei OBS, Ceph RGW, MinIO and AWS all speak this API.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .env import env_int, env_str

ADDRESSING_STYLES = ("virtual", "path")


@dataclass(frozen=True)
class ObjectStorage:
    """The STORAGES entries to use instead of the local ones, and the origins browsers fetch
    files from (the content security policy must allow them)."""

    storages: dict
    media_origins: tuple[str, ...]
    static_origins: tuple[str, ...]
    signed_url_seconds: int  # a download: long enough to start it
    signed_media_seconds: int  # a video played in the page: it keeps fetching ranges


def _required(name: str) -> str:
    value = (env_str(name) or "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when KEPU_S3_ENDPOINT_URL is.")
    return value


def _origin(endpoint: str, bucket: str, style: str, domain: str) -> str:
    scheme, host = urlsplit(endpoint)[:2]
    if domain:
        return f"https://{domain}"
    if style == "virtual":
        return f"{scheme}://{bucket}.{host}"
    return f"{scheme}://{host}"


def object_storage() -> ObjectStorage | None:
    """The object-storage configuration, or None when KEPU_S3_ENDPOINT_URL is not set.

    Guarantees: public objects are written with `KEPU_S3_PUBLIC_ACL` (default public-read;
    empty when the bucket's own policy grants reading), private objects always with ACL
    private and no URL but a presigned one; no name is ever overwritten (a second file of the
    same name gets a new name, as on the local disk).
    """
    endpoint = (env_str("KEPU_S3_ENDPOINT_URL") or "").strip()
    if not endpoint:
        return None
    if urlsplit(endpoint).scheme not in ("http", "https") or not urlsplit(endpoint).netloc:
        raise ImproperlyConfigured("KEPU_S3_ENDPOINT_URL must be an http(s):// address.")
    style = (env_str("KEPU_S3_ADDRESSING_STYLE") or "virtual").strip()
    if style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured("KEPU_S3_ADDRESSING_STYLE must be “virtual” or “path”.")
    connection = {
        "endpoint_url": endpoint,
        "region_name": (env_str("KEPU_S3_REGION") or "").strip() or None,
        # Empty keys fall back to boto3's own chain (environment, instance role).
        "access_key": env_str("KEPU_S3_ACCESS_KEY_ID") or None,
        "secret_key": env_str("KEPU_S3_SECRET_ACCESS_KEY") or None,
        "addressing_style": style,
        "signature_version": "s3v4",
        "file_overwrite": False,
    }
    public_acl = env_str("KEPU_S3_PUBLIC_ACL", "public-read") or None
    media_bucket = _required("KEPU_S3_MEDIA_BUCKET")
    private_bucket = _required("KEPU_S3_PRIVATE_BUCKET")
    if media_bucket == private_bucket:
        raise ImproperlyConfigured("KEPU_S3_PRIVATE_BUCKET must differ from KEPU_S3_MEDIA_BUCKET.")
    media_domain = (env_str("KEPU_S3_MEDIA_DOMAIN") or "").strip()
    seconds = env_int("KEPU_S3_SIGNED_URL_SECONDS", 300)
    # A judge watches a video and seeks back: the player keeps using the link it was handed.
    media_seconds = max(env_int("KEPU_S3_SIGNED_MEDIA_SECONDS", 4 * 3600), seconds)
    storages = {
        "default": {
            "BACKEND": "kepu.storage.PublicS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": media_bucket,
                "default_acl": public_acl,
                "querystring_auth": False,
                "custom_domain": media_domain or None,
            },
        },
        "private": {
            "BACKEND": "kepu.storage.PrivateS3Storage",
            "OPTIONS": {
                **connection,
                "bucket_name": private_bucket,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": seconds,
            },
        },
    }
    media_origins = (
        _origin(endpoint, media_bucket, style, media_domain),
        _origin(endpoint, private_bucket, style, ""),
    )
    static_origins: tuple[str, ...] = ()
    static_bucket = (env_str("KEPU_S3_STATIC_BUCKET") or "").strip()
    if static_bucket:
        static_domain = (env_str("KEPU_S3_STATIC_DOMAIN") or "").strip()
        storages["staticfiles"] = {
            "BACKEND": "storages.backends.s3.S3ManifestStaticStorage",
            "OPTIONS": {
                **connection,
                "bucket_name": static_bucket,
                "default_acl": public_acl,
                "querystring_auth": False,
                "custom_domain": static_domain or None,
                # Hashed names never change: let browsers and CDNs keep them for a year.
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        static_origins = (_origin(endpoint, static_bucket, style, static_domain),)
    return ObjectStorage(
        storages, tuple(dict.fromkeys(media_origins)), static_origins, seconds, media_seconds
    )


def csp_sources(configured: ObjectStorage | None) -> tuple[str, str, str]:
    """The origins to add to the content security policy, each with a leading space ("" on
    the local disk): for media (pictures and videos, public or presigned), for static files
    (scripts, styles, fonts), and for images (both, once each)."""
    if configured is None:
        return "", "", ""

    def joined(origins) -> str:
        return "".join(f" {origin}" for origin in dict.fromkeys(origins))

    media, static = configured.media_origins, configured.static_origins
    return joined(media), joined(static), joined(media + static)
