"""Django's Redis cache backend, made to degrade while Redis is unreachable; and
`increment_counter()`, a counter with an expiry in one round trip.

Redis is derived state (DESIGN.md rule 1): losing it may slow the site, never stop it. So:

- **An outage is a miss.** A connection error or a timeout makes a read return its default
  and a write do nothing; the caller goes on as if the value had never been cached (pages
  render, sessions come from PostgreSQL, memos read their source). Short socket timeouts
  (`KEPU_REDIS_TIMEOUT_MS`) keep a dead or hung Redis from costing more than a fraction
  of a second.
- **A circuit breaker.** After a failure the server counts as down in this process, and calls
  return at once without touching the network, for `KEPU_REDIS_RETRY_MS`; then one call
  (one thread) tries again. Each process logs the outage and the recovery once.
- **Writes lost during an outage are undone when Redis returns.** A value that could not be
  written or deleted may still be in Redis from before the outage, now stale (a session
  signed out, a memo version not moved). The keys are remembered (up to `MAX_DIRTY_KEYS` per
  process) and the first call that reaches Redis again deletes them before anything is read.
- **Counters say so.** `increment_counter()` raises `CacheUnavailable` instead of pretending:
  rate limits decide for themselves whether to fail open or closed (kepu/ratelimit.py).
  allauth's own limits, which would refuse every sign-in, count in process memory meanwhile
  (`OUTAGE_MEMORY_PREFIXES`).

It also keeps its redis.Redis client instead of building one per call: Django's
RedisCacheClient creates a new client for every operation, and each one rebuilds redis-py's
table of response callbacks (about 170 entries), 0.1–0.2 ms of CPU per call. (Django hands
every thread its own backend instance; the outage state below is shared by the process.)
"""

import logging
import threading
import time

import redis
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger(__name__)

# Errors that mean "Redis cannot answer now", as opposed to a bug in the call.
OUTAGE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# Refused writes (out of memory, a read-only replica, a failed snapshot) count as an outage too.
_REFUSING_REPLIES = ("OOM", "READONLY", "MISCONF", "LOADING")
# Keys remembered per process for deletion when Redis returns; beyond this, the rest expire.
MAX_DIRTY_KEYS = 50_000
# allauth's rate limits take a lock in the cache and refuse ("too many attempts", after a
# second's wait) when they cannot: without Redis nobody could sign in. While Redis is down
# their keys live in this process's memory instead, so sign-in works and each limit holds
# per web process (as kepu.ratelimit.PER_PROCESS does for the site's own lockouts).
OUTAGE_MEMORY_PREFIXES = ("allauth:rl:",)
outage_memory = LocMemCache("kepu-outage-memory", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
_MISSING = object()


class CacheUnavailable(Exception):
    """The shared cache cannot be reached now (raised only where a caller must know)."""


def is_outage(error: Exception) -> bool:
    """Whether `error` from redis-py means Redis cannot answer now (not a bug in the call)."""
    if isinstance(error, OUTAGE_ERRORS):
        return True
    return isinstance(error, redis.exceptions.ResponseError) and str(error).startswith(
        _REFUSING_REPLIES
    )


class _Outage:
    """Whether one Redis server is reachable, as this process last saw it (thread-safe)."""

    def __init__(self, server: str):
        self.server = server
        self._lock = threading.Lock()
        self.down_since: float | None = None  # time.time() of the first failure
        self.retry_at = 0.0  # time.monotonic() when the next probe may run
        self.last_error = ""
        self.probing = False
        self.dirty: set[str] = set()
        self.dirty_overflow = 0

    def gate(self) -> str:
        """Whether to call Redis: "up", "probe" (this call tries again after an outage) or
        "down" (do not touch the network)."""
        if self.down_since is None:
            return "up"
        with self._lock:
            if self.down_since is None:
                return "up"
            if self.probing or time.monotonic() < self.retry_at:
                return "down"
            self.probing = True
            return "probe"

    def failed(self, error: Exception) -> None:
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = time.time()
            self.retry_at = time.monotonic() + settings.KEPU_REDIS_RETRY_MS / 1000
            self.probing = False
            self.last_error = f"{type(error).__name__}: {error}"[:300]
        if first:
            logger.warning(
                "cache unreachable: serving without it",
                extra={"server": self.server, "error": self.last_error},
            )

    def recovered(self, replayed: int) -> None:
        with self._lock:
            if self.down_since is None:
                return
            seconds = time.time() - self.down_since
            self.down_since = None
            self.probing = False
            overflow, self.dirty_overflow = self.dirty_overflow, 0
        logger.warning(
            "cache reachable again",
            extra={
                "server": self.server,
                "down_seconds": round(seconds, 1),
                "stale_keys_deleted": replayed,
                "stale_keys_not_tracked": overflow,
            },
        )

    def remember(self, keys) -> None:
        """Keys whose write may not have reached Redis: deleted when it returns."""
        with self._lock:
            for key in keys:
                if len(self.dirty) < MAX_DIRTY_KEYS:
                    self.dirty.add(key)
                else:
                    self.dirty_overflow += 1

    def take_dirty(self) -> list[str]:
        with self._lock:
            keys, self.dirty = list(self.dirty), set()
        return keys

    def status(self) -> dict:
        down_since = self.down_since
        return {
            "available": down_since is None,
            "down_seconds": None if down_since is None else round(time.time() - down_since, 1),
            "last_error": self.last_error if down_since is not None else "",
        }


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_for(server: str) -> _Outage:
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(server, _Outage(server))


_FAIL = object()  # fallback meaning "raise CacheUnavailable"
_Base = RedisCacheClient


class _DegradingClient(RedisCacheClient):
    """Django's client with one redis.Redis per pool and every call behind the breaker."""

    def __init__(self, servers, *args, **kwargs):
        super().__init__(servers, *args, **kwargs)
        self._clients = {}
        self.outage = _outage_for(";".join(servers))

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def _guarded(self, call, fallback, *, writes=()):
        """Runs `call()`; during an outage returns `fallback` (or raises CacheUnavailable when
        it is `_FAIL`) and remembers the keys of a write that may not have happened."""
        outage = self.outage
        mode = outage.gate()
        if mode == "probe":
            try:
                replayed = self._replay()
            except Exception as error:  # still down (whatever the error): try again later
                outage.failed(error)
            else:
                outage.recovered(replayed)
                mode = "up"
        if mode == "up":
            try:
                return call()
            except Exception as error:
                if not is_outage(error):
                    raise
                outage.failed(error)
        if writes:
            outage.remember(writes)
        if fallback is _FAIL:
            raise CacheUnavailable(outage.last_error)
        return fallback

    def _replay(self) -> int:
        """Deletes the keys written during the outage (or pings): the probe itself."""
        keys = self.outage.take_dirty()
        client = self.get_client(None, write=True)
        try:
            if not keys:
                client.ping()
            for start in range(0, len(keys), 1000):
                client.delete(*keys[start : start + 1000])
        except Exception:
            self.outage.remember(keys)
            raise
        return len(keys)

    # Django's operations, each behind the breaker with what a miss returns.
    def add(self, key, value, timeout):
        return self._guarded(lambda: _Base.add(self, key, value, timeout), False)

    def get(self, key, default):
        return self._guarded(lambda: _Base.get(self, key, default), default)

    def set(self, key, value, timeout):
        return self._guarded(lambda: _Base.set(self, key, value, timeout), None, writes=(key,))

    def touch(self, key, timeout):
        return self._guarded(lambda: _Base.touch(self, key, timeout), False)

    def delete(self, key):
        return self._guarded(lambda: _Base.delete(self, key), False, writes=(key,))

    def get_many(self, keys):
        return self._guarded(lambda: _Base.get_many(self, keys), {})

    def has_key(self, key):
        return self._guarded(lambda: _Base.has_key(self, key), False)

    def incr(self, key, delta):
        # During an outage the key "does not exist", which is what incr() raises for that.
        try:
            return self._guarded(lambda: _Base.incr(self, key, delta), _FAIL)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable).") from None

    def set_many(self, data, timeout):
        return self._guarded(lambda: _Base.set_many(self, data, timeout), None, writes=tuple(data))

    def delete_many(self, keys):
        return self._guarded(lambda: _Base.delete_many(self, keys), None, writes=tuple(keys))

    def clear(self):
        return self._guarded(lambda: _Base.clear(self), False)

    def counter(self, key: str, timeout: int, delta: int) -> int:
        """See increment_counter(); raises CacheUnavailable during an outage."""

        def call():
            pipe = self.get_client(key, write=True).pipeline(transaction=True)
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incrby(key, delta)
            return int(pipe.execute()[1])

        return self._guarded(call, _FAIL)

    def ping(self) -> bool:
        """Whether Redis answers now (a probe when the breaker lets one through)."""
        return self._guarded(lambda: bool(self.get_client(None, write=True).ping()), False)


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**_connection_options(), **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = _DegradingClient

    # Keys that live in this process's memory while Redis is down (OUTAGE_MEMORY_PREFIXES).
    def _in_memory(self, key) -> bool:
        return key.startswith(OUTAGE_MEMORY_PREFIXES) and self._cache.outage.down_since is not None

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = super().add(key, value, timeout, version)
        if not added and self._in_memory(key):
            return outage_memory.add(key, value, timeout, version)
        return added

    def get(self, key, default=None, version=None):
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            if self._in_memory(key):
                return outage_memory.get(key, default, version)
            return default
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        if self._in_memory(key):
            outage_memory.set(key, value, timeout, version)

    def delete(self, key, version=None):
        deleted = super().delete(key, version)
        if self._in_memory(key):
            return outage_memory.delete(key, version) or deleted
        return deleted


def _connection_options() -> dict:
    """Short socket timeouts: a dead Redis must cost milliseconds, not the OS's minutes."""
    seconds = settings.KEPU_REDIS_TIMEOUT_MS / 1000
    return {"socket_connect_timeout": seconds, "socket_timeout": seconds}


def status(alias: str = DEFAULT_CACHE_ALIAS) -> dict:
    """{"available", "down_seconds", "last_error"} for the cache `alias`, as this process
    sees it now (a non-Redis cache is always available). Probes Redis when the breaker lets
    a call through, so a health check notices a recovery."""
    backend = caches[alias]
    if not isinstance(backend, RedisCache):
        return {"available": True, "down_seconds": None, "last_error": ""}
    backend._cache.ping()
    return backend._cache.outage.status()


def is_available(alias: str = DEFAULT_CACHE_ALIAS) -> bool:
    """Whether this process currently counts the cache as reachable (no network call)."""
    backend = caches[alias]
    if not isinstance(backend, RedisCache):
        return True
    return backend._cache.outage.down_since is None


def increment_counter(key: str, timeout: int, delta: int = 1) -> int:
    """Adds `delta` to the counter `key`, creating it to expire after `timeout` seconds; returns
    the new value. Rate limits and page-view counts call this on every request.

    Raises `CacheUnavailable` while Redis is unreachable (a counter cannot be guessed).
    On Redis: one round trip instead of Django's three (add, exists, incr). In one MULTI block
    the key cannot expire between being created and counted, so a counter never outlives its
    timeout. Django stores integers unpickled, so `cache.get(key)` reads the value back.
    """
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return backend._cache.counter(backend.make_and_validate_key(key), timeout, delta)
    backend.add(key, 0, timeout)
    try:
        return backend.incr(key, delta)
    except ValueError:
        # The counter expired between add and incr: start again.
        backend.add(key, delta, timeout)
        return delta
