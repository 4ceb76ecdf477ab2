"""The drift's public pages for anonymous readers, cached and invalidated step by step.

Scanning a label opens a copy's page; a class scanning the same shelf opens the same few
pages. Anonymous GETs of the copy, journey, book, campaign and station pages are served from
the cache. Each cached page is stamped with the versions of what it shows:

- the site's page-cache version (`content.cache.PAGES`): it moves when anything published
  changes and when a guardian gives or withdraws display consent, so a child's name leaves
  every page at once;
- this app's version, moved by organisers' edits (books, campaigns, stations, classes);
- the versions of the copy, book, campaign and stations a page shows, moved after every
  journey step, note decision or review decision that concerns them; a copy's pages take
  the book's reviews version instead of the book's, so a step of one copy leaves the
  pages of the book's other copies cached.

A hit costs one cache round trip (the page and its versions in one `get_many`). A version
is read before the page is rendered, so a page rendered while a step commits is stamped
with the old version and never served after it. Signed-in readers, query strings other
than `page`, and responses setting cookies are never cached; if the cache is unreachable
the page is simply rendered.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

from competitions.core.models import Unit
from competitions.submissions.models import Entry
from content.cache import PAGES, invalidate
from kepu.context_processors import LARGE_TEXT_COOKIE

from .models import Book, BookReview, DriftCampaign, SchoolClass, Station

logger = logging.getLogger(__name__)

ALL = ("all", 0)
CACHEABLE_PARAMETERS = frozenset({"page"})
KEPT_HEADERS = ("Content-Type", "Content-Language")


def _version_key(kind: str, pk) -> str:
    return f"bookdrift:v:{kind}:{pk}"


def bump(*subjects: tuple[str, int]) -> None:
    """Move the versions of `subjects` (("copy", 3), ("book", 1) …): pages showing them are
    stale from now on, in every process."""
    for kind, pk in subjects:
        key = _version_key(kind, pk)
        try:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, time.time_ns(), None)
        except Exception:  # the cache is derived: pages are rendered until it is back
            logger.warning("bookdrift: cache unreachable, version %s not moved", key)


def copy_changed(copy_id: int, book_id: int, campaign_id: int | None = None, *stations) -> None:
    """After a journey step (or a note decision) of a copy: its pages, its book's page,
    its campaign's page and the pages of the stations it left or reached."""
    subjects = [("copy", copy_id), ("book", book_id)]
    if campaign_id:
        subjects.append(("campaign", campaign_id))
    subjects += [("station", pk) for pk in stations if pk]
    bump(*subjects)


def reviews_changed(*book_ids: int) -> None:
    """After reviews of these books were shown, hidden, edited or withdrawn: the books' pages
    and their copies' pages (which count the shown reviews). A journey step moves only the
    "book" version, so other copies of the same book stay cached."""
    bump(*(("book", pk) for pk in book_ids), *(("reviews", pk) for pk in book_ids))


def everything_changed(**kwargs) -> None:
    """Organisers changed a book, campaign, station or class: every drift page is stale."""
    bump(ALL)


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not set(request.GET).issubset(CACHEABLE_PARAMETERS):
        return False
    if request.user.is_authenticated:
        return False
    return "messages" not in request.COOKIES


def _stamp(subjects: list[tuple[str, int]], found: dict) -> tuple | None:
    stamp = []
    for kind, pk in subjects:
        key = _version_key(kind, pk)
        if key not in found:
            # A new number, never an old one (see kepu/memo.py).
            cache.add(key, time.time_ns(), None)
            found[key] = cache.get(key)
        stamp.append(found[key])
    return tuple(stamp)


def serve_cached(request, name: str, subjects: list[tuple[str, int]], render) -> HttpResponse:
    """`render()`'s response, from the cache for anonymous readers when nothing it shows
    changed since (see the module docstring). `name` tells pages apart (e.g. "copy:K7R…")."""
    if not _cacheable(request):
        return render()
    subjects = [ALL, *subjects]
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:24]
    large = "L" if request.COOKIES.get(LARGE_TEXT_COOKIE) == "1" else "S"
    key = f"bookdrift:page:{name}:{request.get_host()}:{large}:{path}"
    try:
        site_version = PAGES.version()
        if site_version is None:
            return render()
        found = cache.get_many([key, *(_version_key(kind, pk) for kind, pk in subjects)])
        stamp = (site_version, *_stamp(subjects, found))
        cached = found.get(key)
        if cached is not None and cached.get("stamp") == stamp:
            response = HttpResponse(cached["content"])
            for header, value in cached["headers"].items():
                response[header] = value
            response["X-Page-Cache"] = "hit"
            return response
    except Exception:
        logger.warning("bookdrift: page cache unreachable, rendering %s", name)
        return render()
    response = render()
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "streaming", False)
    ):
        headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
        try:
            cache.set(
                key,
                {"stamp": stamp, "content": response.content, "headers": headers},
                settings.KEPU_PAGE_CACHE_SECONDS,
            )
        except Exception:
            logger.warning("bookdrift: page cache unreachable, %s not kept", name)
        response["X-Page-Cache"] = "miss"
    return response


def _campaign_changed(**kwargs) -> None:
    # The home page lists running campaigns (正在进行, the kepu_open_now hook).
    everything_changed()
    invalidate()


def _entry_changed(sender, instance, raw=False, **kwargs) -> None:
    """A review's entry edited, withdrawn or deleted: its book's pages show it differently."""
    if raw:
        return
    books = set(BookReview.objects.filter(entry_id=instance.pk).values_list("book_id", flat=True))
    if books:
        transaction.on_commit(lambda: reviews_changed(*books))


def connect() -> None:
    """Organisers' edits of what every page shows make every drift page stale."""
    for signal in (post_save, post_delete):
        suffix = "saved" if signal is post_save else "deleted"
        for model in (Book, Station, SchoolClass, Unit):
            signal.connect(
                everything_changed,
                sender=model,
                dispatch_uid=f"bookdrift_cache_{model.__name__}_{suffix}",
            )
        signal.connect(
            _campaign_changed,
            sender=DriftCampaign,
            dispatch_uid=f"bookdrift_cache_campaign_{suffix}",
        )
        signal.connect(_entry_changed, sender=Entry, dispatch_uid=f"bookdrift_cache_entry_{suffix}")
