"""Cache-backed counters for rate limits and lockouts.

Defence in depth, not integrity (see DESIGN.md rule 7): the counters live in the cache and
may vanish; anything that must hold is a database constraint.
"""

import hashlib

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def count(scope: str, ident: str) -> int:
    return int(cache.get(_key(scope, ident)) or 0)


def increment(scope: str, ident: str, window_seconds: int) -> int:
    """Adds one to the counter for (scope, ident), starting a window if none is open."""
    key = _key(scope, ident)
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip instead of Django's three (add, exists, incr). In one MULTI block
        # the key cannot expire between starting the window and counting, so a counter never
        # outlives its window. Django stores integers unpickled, so count() reads it back.
        full_key = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(full_key, write=True).pipeline(transaction=True)
        pipe.set(full_key, 0, ex=window_seconds, nx=True)
        pipe.incr(full_key)
        return int(pipe.execute()[1])
    cache.add(key, 0, window_seconds)
    try:
        return cache.incr(key)
    except ValueError:
        # The key expired between add and incr: start again.
        cache.add(key, 1, window_seconds)
        return 1


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
