"""The one public address of the site (DESIGN.md rule 9).

Every absolute link kepu hands out — QR codes on posters, labels and certificates, share
cards, `og:url`, feeds, e-mails and text messages — is built here from `KEPU_BASE_URL`,
never from a Wagtail Site record (the demo's is `localhost:80`) or from the Host header of
whoever happened to ask. Staff are warned (admin dashboard, `manage.py check`) while it still
points at an address a phone cannot reach.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

LOCAL_HOST_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def public_base_url() -> str:
    """The configured public address without a trailing slash, e.g. `https://kepu.example.org`."""
    return settings.KEPU_BASE_URL.rstrip("/")


def public_url(path: str) -> str:
    """The absolute public URL of a site path (`/s/AB12` → `https://kepu.example.org/s/AB12`).

    An absolute URL is returned unchanged, so callers may pass either.
    """
    if urlsplit(path).scheme:
        return path
    if not path.startswith("/"):
        path = "/" + path
    return public_base_url() + path


def is_local_address(url: str | None = None) -> bool:
    """True when `url` (default: the public base URL) names this machine only — loopback,
    `localhost` — so a phone scanning a QR code built from it would reach nothing."""
    host = (urlsplit(url if url is not None else public_base_url()).hostname or "").lower()
    if host in LOCAL_HOST_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def public_page_url(page, request=None) -> str:
    """The absolute public URL of a Wagtail page (its Site record's host is not used)."""
    return public_url(page.get_url(request=request) or "/")


def rebase(url: str) -> str:
    """`url` moved onto the public address, keeping its path, query and fragment (for URLs
    Wagtail builds from a Site record, e.g. in the sitemap)."""
    parts = urlsplit(url)
    tail = parts.path or "/"
    if parts.query:
        tail += "?" + parts.query
    if parts.fragment:
        tail += "#" + parts.fragment
    return public_base_url() + tail
