"""Per-process memos of rarely changing values, kept in step through one shared version.

Every request needs a few things that change perhaps once a month (which Wagtail site a
host name belongs to, the organiser's footer details, the page cache's version). Reading
them from PostgreSQL or Redis on each request costs a round trip each; a campaign's hot path
is short enough for those round trips to matter.

A `VersionedMemo` keeps the values in the process and a version number in the shared cache
(Redis in production). The process reads the shared version at most once every
`recheck_seconds` and forgets its values when the version moved; `invalidate()` moves it.
The process that invalidates forgets at once; the others within `recheck_seconds` (one
second by default). If the shared cache is unreachable the values are simply recomputed
from the source on every call: slower, never wrong.

An invalidation during a Redis outage cannot move the version. The cache backend remembers
the failed write and deletes the version key when Redis returns (kepu/cache.py), which every
process reads as a change. Should the process that made the change die before that, values
are still never kept longer than `max_age_seconds` (five minutes by default).
"""

import logging
import threading
import time
from collections.abc import Callable, Hashable

from django.core.cache import cache

from kepu.cache import is_available

logger = logging.getLogger(__name__)

_ALL: list["VersionedMemo | ExpiringMemo"] = []


class VersionedMemo:
    def __init__(
        self,
        name: str,
        *,
        recheck_seconds: float = 1.0,
        max_entries: int = 256,
        max_age_seconds: float = 300.0,
        store: Callable[[], object | None] | None = None,
    ):
        self.version_key = f"memo:{name}:version"
        self._store = store
        self.recheck_seconds = recheck_seconds
        self.max_entries = max_entries
        self.max_age_seconds = max_age_seconds
        self._lock = threading.Lock()
        self._values: dict[Hashable, object] = {}
        self._version: int | None = None
        self._checked_at = float("-inf")
        self._filled_since = time.monotonic()
        _ALL.append(self)

    def version(self) -> int | None:
        """The shared version (None while the shared cache is unreachable)."""
        now = time.monotonic()
        if now - self._checked_at < self.recheck_seconds and self._version is not None:
            return self._version
        try:
            shared = self.shared()
            version = shared.get(self.version_key)
            if version is None and (shared is not cache or is_available()):
                # A new number, never an old one: a process still holding a version from
                # before an eviction must see a change.
                shared.add(self.version_key, time.time_ns(), None)
                version = shared.get(self.version_key)
        except Exception:  # the cache is an optimisation here, never the source
            logger.warning("memo %s: the shared cache is unreachable", self.version_key)
            version = None
        with self._lock:
            too_old = now - self._filled_since > self.max_age_seconds
            if version is None or version != self._version or too_old:
                self._values = {}
                self._filled_since = now
            self._version = version
            self._checked_at = now if version is not None else float("-inf")
        return version

    def get(self, key: Hashable, compute: Callable[[], object]):
        """The memoised value for `key`, computed (and kept) when missing or stale."""
        if self.version() is None:
            return compute()
        values = self._values
        if key in values:
            return values[key]
        value = compute()
        with self._lock:
            if values is self._values and len(values) < self.max_entries:
                values[key] = value
        return value

    def forget(self) -> None:
        """This process forgets its values and rereads the shared version on the next call."""
        with self._lock:
            self._values = {}
            self._version = None
            self._checked_at = float("-inf")

    def invalidate(self, **kwargs) -> None:
        """Every process forgets its values (this one at once, the others within a recheck)."""
        self.forget()
        try:
            # A new number rather than an increment: a Redis restored from an older snapshot
            # must not bring back a version some process already holds other values for.
            self.shared().set(self.version_key, time.time_ns(), None)
        except Exception:  # unreachable: every process reads the source until it is back
            logger.warning("memo %s: the shared cache is unreachable", self.version_key)

    # --- where the shared version lives ---------------------------------------------------------
    # Django's cache, unless the memo was given a `store`: a callable returning an object with
    # the cache's get/add/set (or None for the cache). content/cache.py keeps the page
    # cache's version in the database when the cache is local to each process.

    def shared(self):
        return (self._store() if self._store else None) or cache


class ExpiringMemo:
    """Values kept in this process until a moment each carries (`time.time()`), for values
    that are allowed to be a few seconds old and are shared through the cache with the moment
    they were computed at: a process holds the shared copy until that copy expires instead of
    asking the cache on every call."""

    def __init__(self, *, max_entries: int = 256):
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, object]] = {}
        _ALL.append(self)

    def get(self, key: Hashable):
        """The value kept for `key` if it has not expired, else None."""
        held = self._values.get(key)
        return held[1] if held is not None and time.time() < held[0] else None

    def put(self, key: Hashable, value, until: float) -> None:
        if len(self._values) >= self.max_entries:
            self._values = {}
        self._values[key] = (until, value)

    def forget(self) -> None:
        self._values = {}


def forget_all() -> None:
    """Every memo of this process starts afresh (tests call this when they empty the cache)."""
    for memo in _ALL:
        memo.forget()
