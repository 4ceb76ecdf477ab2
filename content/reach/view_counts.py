"""Page view counts that cost a request next to nothing.

A view is one cache increment on a per-page, per-day counter (days in Asia/Shanghai); a
counter that goes from 0 to 1 is added to a set of dirty counters. `flush_view_counts()`
(Celery beat, every `KEPU_VIEW_FLUSH_SECONDS`) moves the cached counts into
`PageViewCount` rows with `F()` updates. No request ever writes to the page's row.

No lost or doubled increments with Redis: the flush reads a counter's value n and then
decrements it by exactly n (atomic), so views counted meanwhile stay for the next flush,
and a counter left above zero is marked dirty again. The dirty set is a Redis set
(SADD/SPOP) when the cache is Redis.

With any other cache (the embedded mode's local memory) the dirty set lives in the process
that counted, and a Celery worker in another process cannot see it: the beacon view then
flushes in-process, at most once per flush interval (`flush_due()`). Views counted by a
process that stops before its next flush are lost; counts are a popularity signal, not a
record (DESIGN.md rule 1: the cache may vanish at any moment).
"""

import logging
import threading
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from wagtail.models import Page, Site

from kepu.cache import increment_counter
from kepu.days import local_day

from .models import PageViewCount

logger = logging.getLogger(__name__)

COUNTER_TIMEOUT = 3 * 24 * 3600
VALID_PAGE_TIMEOUT = 300
_DIRTY_KEY = "views:dirty"
_FLUSH_DUE_KEY = "views:flush-due"


def _counter_key(member: str) -> str:
    return f"views:n:{member}"


def _member(page_id: int, day: date) -> str:
    return f"{page_id}:{day:%Y%m%d}"


def _parse_member(member: str) -> tuple[int, date]:
    page_id, day = member.split(":")
    return int(page_id), date(int(day[:4]), int(day[4:6]), int(day[6:]))


class _RedisDirtySet:
    """The dirty counters as a Redis set, shared by every process (Django has no set API)."""

    def _client(self):
        backend = caches[DEFAULT_CACHE_ALIAS]
        key = backend.make_and_validate_key(_DIRTY_KEY)
        return backend._cache.get_client(key, write=True), key

    def add(self, *members: str) -> None:
        client, key = self._client()
        client.sadd(key, *members)

    def pop(self, count: int) -> list[str]:
        client, key = self._client()
        return [m.decode() if isinstance(m, bytes) else m for m in client.spop(key, count) or []]


class _LocalDirtySet:
    """The dirty counters of this process, for caches without a shared set."""

    def __init__(self):
        self._lock = threading.Lock()
        self._members: set[str] = set()

    def add(self, *members: str) -> None:
        with self._lock:
            self._members.update(members)

    def pop(self, count: int) -> list[str]:
        with self._lock:
            popped = [self._members.pop() for _ in range(min(count, len(self._members)))]
        return popped


_local_dirty = _LocalDirtySet()


def shared_dirty_set() -> bool:
    """Whether every process sees the same dirty set (so a Celery worker can flush)."""
    # `cache` is a proxy: ask the backend object itself.
    return isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache)


def _dirty():
    return _RedisDirtySet() if shared_dirty_set() else _local_dirty


def is_countable(page_id: int) -> bool:
    """Whether views of this page are counted: a live page outside any private section.

    Cached for a few minutes, so a beacon costs no database query.
    """
    key = f"views:ok:{page_id}"
    countable = cache.get(key)
    if countable is None:
        countable = Page.objects.live().public().filter(pk=page_id, depth__gt=1).exists()
        cache.set(key, countable, VALID_PAGE_TIMEOUT)
    return countable


def count_view(page_id: int) -> None:
    """Counts one view of the page in the cache (no database write)."""
    member = _member(page_id, local_day())
    if increment_counter(_counter_key(member), COUNTER_TIMEOUT) == 1:
        _dirty().add(member)


def flush_due() -> bool:
    """True at most once per flush interval per cache (for in-process flushing)."""
    return cache.add(_FLUSH_DUE_KEY, 1, settings.KEPU_VIEW_FLUSH_SECONDS)


def _add_to_database(page_id: int, day: date, views: int) -> None:
    rows = PageViewCount.objects.filter(page_id=page_id, date=day)
    with transaction.atomic():
        if rows.update(count=F("count") + views):
            return
        try:
            with transaction.atomic():
                PageViewCount.objects.create(page_id=page_id, date=day, count=views)
        except IntegrityError:
            # Another flush created the row meanwhile.
            rows.update(count=F("count") + views)


@dataclass
class FlushResult:
    counters: int = 0
    views: int = 0


def flush_view_counts(batch_size: int = 500) -> FlushResult:
    """Moves counted views from the cache into `PageViewCount` rows.

    Safe to run concurrently with counting and with another flush: a counter is decremented
    by exactly the number written to the database, and is written back to the cache if the
    database write fails. Views of pages deleted since are dropped.
    """
    dirty = _dirty()
    result = FlushResult()
    again: list[str] = []
    done: set[str] = set()
    while members := dirty.pop(batch_size):
        # A counter marked dirty again while this flush runs waits for the next one, so a
        # busy page cannot keep the flush going.
        again.extend(m for m in members if m in done)
        members = [m for m in members if m not in done]
        done.update(members)
        if not members:
            continue
        existing = set(
            Page.objects.filter(pk__in={_parse_member(m)[0] for m in members}).values_list(
                "pk", flat=True
            )
        )
        for member in members:
            key = _counter_key(member)
            views = int(cache.get(key) or 0)
            if views <= 0:
                continue
            try:
                remaining = cache.decr(key, views)
            except ValueError:
                continue  # evicted or expired since it was read
            if remaining > 0:
                again.append(member)
            page_id, day = _parse_member(member)
            if page_id not in existing:
                continue
            try:
                _add_to_database(page_id, day, views)
            except Exception:
                increment_counter(key, COUNTER_TIMEOUT, views)  # counted again next time
                again.append(member)
                logger.exception("view count flush failed", extra={"page_id": page_id})
                continue
            result.counters += 1
            result.views += views
    if again:
        dirty.add(*again)
    return result


def most_read(limit: int = 5, days: int | None = None) -> list[Page]:
    """The most viewed live, public pages, most views first, as specific pages.

    `days` restricts to views of the last `days` days (today included); None means all
    time. Each page carries its count as `view_count`. Site home pages are left out: the
    list is for reading matter. Only flushed views count.
    """
    pages = Page.objects.live().public().filter(depth__gt=1)
    counts = PageViewCount.objects.filter(page__in=pages).exclude(
        page__in=Site.objects.values("root_page")
    )
    if days is not None:
        counts = counts.filter(date__gte=local_day() - timedelta(days=days - 1))
    totals = list(
        counts.values("page_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "page_id")
        .values_list("page_id", "total")[:limit]
    )
    by_id = {p.pk: p for p in Page.objects.filter(pk__in=[pk for pk, _ in totals]).specific()}
    result = []
    for pk, total in totals:
        page = by_id.get(pk)
        if page is not None:
            page.view_count = total
            result.append(page)
    return result
