"""Cache-backed counters for rate limits and lockouts.

Defence in depth, not integrity (see DESIGN.md rule 7): the counters live in the cache and
may vanish; anything that must hold is a database constraint.
"""

import hashlib

from django.core.cache import cache

from kepu.cache import increment_counter


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def count(scope: str, ident: str) -> int:
    return int(cache.get(_key(scope, ident)) or 0)


def increment(scope: str, ident: str, window_seconds: int) -> int:
    """Adds one to the counter for (scope, ident), starting a window if none is open."""
    return increment_counter(_key(scope, ident), window_seconds)


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
