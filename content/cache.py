"""Full-page cache for anonymous readers.

A campaign sends thousands of phones to the same few pages. Anonymous GET requests for
Wagtail pages are served from the cache; everything an editor does that changes what the
public sees (publish, unpublish, move, delete, topic or organiser changes) bumps one
version number, which makes every cached page stale at once. The version lives in Redis and
each process rereads it at most once a second (`PAGES`, kepu/memo.py), so a cache hit costs
one Redis round trip; the site's navigation is memoised under the same version. Signed-in
users, requests with unexpected query parameters and responses that set cookies or use a
CSRF token are never cached, so nothing personal is ever shared.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from wagtail import views as wagtail_views
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from accounts.consent import display_consent_changed
from kepu.context_processors import LARGE_TEXT_COOKIE
from kepu.memo import VersionedMemo

from .models import OrganiserSettings, Topic, Video
from .shared_versions import shared_version_store

logger = logging.getLogger(__name__)

PAGES = VersionedMemo("pagecache", store=shared_version_store)
# Query parameters that select different content; any other parameter bypasses the cache.
CACHEABLE_PARAMETERS = frozenset({"page", "topic", "from"})
KEPT_HEADERS = ("Content-Type", "Content-Language")


def invalidate(**kwargs) -> None:
    """Make every cached page stale (cheap: one counter increment)."""
    PAGES.invalidate()


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not set(request.GET).issubset(CACHEABLE_PARAMETERS):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return False
    return "messages" not in request.COOKIES


def _key(request, version: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    large = "L" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "S"
    return f"pagecache:{version}:{request.get_host()}:{large}:{path}"


def serve(request, path):
    """Wagtail's page view behind the anonymous page cache."""
    version = PAGES.version() if _cacheable_request(request) else None
    if version is None:  # not cacheable, or Redis unreachable: render as if there were no cache
        return wagtail_views.serve(request, path)
    key = _key(request, version)
    cached = cache.get(key)
    if cached is not None:
        response = HttpResponse(cached["content"], status=200)
        for header, value in cached["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response
    response = wagtail_views.serve(request, path)
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    # A page whose content changes at a known moment (a quiz opening) sets a shorter life.
    timeout = min(
        getattr(response, "page_cache_timeout", settings.KEPU_PAGE_CACHE_SECONDS),
        settings.KEPU_PAGE_CACHE_SECONDS,
    )
    if (
        timeout > 0
        and response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "streaming", False)
    ):
        headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
        cache.set(key, {"content": response.content, "headers": headers}, timeout)
        response["X-Page-Cache"] = "miss"
    return response


def _invalidate_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate()


def _invalidate_on_save(sender, instance, created=False, **kwargs):
    # OrganiserSettings.for_site() creates an empty row on first use: nothing to refresh.
    # A video's status change (processing -> ready) changes the pages that show it.
    if isinstance(instance, Topic | Video) or (
        isinstance(instance, OrganiserSettings) and not created
    ):
        invalidate()


page_published.connect(invalidate, dispatch_uid="content.cache.published")
page_unpublished.connect(invalidate, dispatch_uid="content.cache.unpublished")
post_page_move.connect(invalidate, dispatch_uid="content.cache.moved")
post_delete.connect(_invalidate_on_delete, dispatch_uid="content.cache.deleted")
post_save.connect(_invalidate_on_save, dispatch_uid="content.cache.saved")
# A child's work shown or withdrawn must show up (or vanish) for anonymous readers at once.
display_consent_changed.connect(invalidate, dispatch_uid="content.cache.display_consent")
