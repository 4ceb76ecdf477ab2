"""Full-page cache for anonymous readers, and for everyone on pages that are the same for all.

A campaign sends thousands of phones to the same few pages. Anonymous GET requests for
Wagtail pages are served from the cache; everything an editor does that changes what the
public sees (publish, unpublish, move, delete, topic or organiser changes) bumps one
version number, which makes every cached page stale at once. The version lives in Redis and
each process rereads it at most once a second (`PAGES`, kepu/memo.py), so a cache hit costs
one Redis round trip; the site's navigation is memoised under the same version. Requests
with unexpected query parameters or a pending message and responses that set cookies or use
a CSRF token are never cached, so nothing personal is ever shared.

Signed-in readers bypass the cache, except on pages whose type declares that it shows
every reader the same thing (`same_for_every_reader = True` on the page class: a quiz page,
whose start button works the same for everyone). Those are cached for signed-in readers
too, in a copy of their own: the page chrome differs only in the header's account link
("mine" instead of "sign in"), never in a name. The cache learns which paths are such pages
when it renders them (`_shared_paths`, per process and page-cache version), so a signed-in
reader of any other page costs no cache look-up at all. A copy rendered for someone who
may use the admin is never stored (it carries Wagtail's user bar; they may be served the
participants' copy, without it). A page with a view restriction (some accounts only, or a
password) is never stored for anyone.

A page whose forms take their CSRF token from the cookie instead of the page (its context
names the cookie, `csrf_cookie`: the quiz page's start form, posted by quiz-start.js) gives
a reader who has no CSRF cookie yet — a first visit from a QR poster or a WeChat link — a
new one, on a cache hit as on the miss that renders it. Only the response carries it: the
cached body never holds a token (a page that asked for one in its HTML is not stored) and
the stored headers never include Set-Cookie.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction
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
    return "messages" not in request.COOKIES


def _signed_in(request) -> bool:
    # The middleware has read the account already (the consent check needs it).
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def _shared_paths() -> set:
    """The (host, path) pairs this process has seen a same-for-every-reader page at, under
    the current page-cache version (a publish, move or delete starts the set afresh)."""
    return PAGES.get("same-for-every-reader", set)


def _key(request, version: int, *, signed_in: bool) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    large = "L" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "S"
    reader = "M" if signed_in else "A"
    return f"pagecache:{version}:{request.get_host()}:{large}{reader}:{path}"


def _page(response):
    return (getattr(response, "context_data", None) or {}).get("page")


def _restricted(page) -> bool:
    # Shown only to some accounts, or to whoever gave the password in this session.
    return page is not None and page.get_view_restrictions().exists()


def _may_use_admin(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


def _posts_with_csrf_cookie(response) -> bool:
    """Whether the page's forms take their CSRF token from the cookie (see the docstring)."""
    return "csrf_cookie" in (getattr(response, "context_data", None) or {})


def _give_csrf_cookie(request, response, wanted: bool):
    """Makes CsrfViewMiddleware set a CSRF cookie on the response if the page's forms need
    one and the reader has none (or an invalid one); the response is returned unchanged."""
    if wanted and "CSRF_COOKIE" not in request.META:
        get_token(request)
    return response


def _sets_other_cookies(request, response) -> bool:
    """Whether the response sets, or the middleware will set on it, a cookie of its own:
    one set by the view, the session's, or the messages' (CSRF cookie aside, which only a
    page with a token in its HTML asks for, and that is checked separately)."""
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or (session is not None and session.modified)
        or (hasattr(request, "_messages") and len(get_messages(request)))
    )


def serve(request, path):
    """Wagtail's page view behind the page cache."""
    version = PAGES.version() if _cacheable_request(request) else None
    if version is None:  # not cacheable, or Redis unreachable: render as if there were no cache
        response = wagtail_views.serve(request, path)
        return _give_csrf_cookie(request, response, _posts_with_csrf_cookie(response))
    signed_in = _signed_in(request)
    place = (request.get_host(), request.path)
    key = _key(request, version, signed_in=signed_in)
    # A signed-in reader is looked up only where a page the same for everyone was seen.
    cached = cache.get(key) if not signed_in or place in _shared_paths() else None
    if cached is not None:
        response = HttpResponse(cached["content"], status=200)
        for header, value in cached["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return _give_csrf_cookie(request, response, cached.get("csrf_cookie", False))
    response = wagtail_views.serve(request, path)
    page = _page(response)
    csrf_cookie = _posts_with_csrf_cookie(response)
    if signed_in:
        personal = response.status_code != 200 or not getattr(page, "same_for_every_reader", False)
        if personal:  # as far as the cache knows
            return _give_csrf_cookie(request, response, csrf_cookie)
        _shared_paths().add(place)
        if _may_use_admin(request.user):  # Wagtail's user bar is in it
            return _give_csrf_cookie(request, response, csrf_cookie)
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
        and not _sets_other_cookies(request, response)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the HTML holds a token
        and not getattr(response, "streaming", False)
        and not _restricted(page)
    ):
        headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
        entry = {"content": response.content, "headers": headers, "csrf_cookie": csrf_cookie}
        cache.set(key, entry, timeout)
        response["X-Page-Cache"] = "miss"
    return _give_csrf_cookie(request, response, csrf_cookie)


def _invalidate_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page | PageViewRestriction):
        invalidate()


def _invalidate_on_save(sender, instance, created=False, **kwargs):
    # OrganiserSettings.for_site() creates an empty row on first use: nothing to refresh.
    # A video's status change (processing -> ready) changes the pages that show it; a page
    # restricted to some readers must leave the cache at once.
    if isinstance(instance, Topic | Video | PageViewRestriction) or (
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
