"""Cache-backed counters for rate limits and lockouts.

Defence in depth, not integrity (see DESIGN.md rule 7): the counters live in the cache and
may vanish; anything that must hold is a database constraint.

While the cache is unreachable a counter cannot be read, and each caller says what that means
for it (`on_outage`, docs/reliability.md has the table):

- `FAIL_OPEN`: count nothing and let the request through. For limits that only protect
  against waste, where refusing would stop reading or quiz-taking (autosaves, view beacons,
  search suggestions).
- `FAIL_CLOSED` (the default): raise `RateLimitUnavailable`, which the caller turns into a
  clear "try again later" (or, uncaught, the site's 503 page). For limits that stand between
  a stranger and a cost or a fraud: votes, text messages.
- `PER_PROCESS`: count in this process's memory until the cache is back. For sign-in
  lockouts: everyone can still sign in, and a guesser gets at most the limit per web process
  and window instead of unlimited tries.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from kepu.cache import CacheUnavailable, increment_counter, is_available, outage_memory
from kepu.refusals import Refusal

FAIL_OPEN = "fail-open"
FAIL_CLOSED = "fail-closed"
PER_PROCESS = "per-process"


class RateLimitUnavailable(Refusal):
    """A fail-closed limit could not be counted because the cache is unreachable.

    `message` is what the person is told (Chinese through the catalogue); callers pass one
    that names their action.
    """

    message = _("The service is busy. Please try again in a few minutes.")


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}"


def _local_increment(key: str, window_seconds: int) -> int:
    """One more in this process's memory (kepu.cache.outage_memory), for PER_PROCESS."""
    outage_memory.add(key, 0, window_seconds)
    try:
        return outage_memory.incr(key)
    except ValueError:  # expired between add and incr
        outage_memory.add(key, 1, window_seconds)
        return 1


def _outage(on_outage: str, message, local) -> int:
    if on_outage == FAIL_OPEN:
        return 0
    if on_outage == PER_PROCESS:
        return local()
    raise RateLimitUnavailable(message)


def increment(
    scope: str, ident: str, window_seconds: int, *, on_outage: str = FAIL_CLOSED, message=None
) -> int:
    """Adds one to the counter for (scope, ident), starting a window if none is open, and
    returns the new count. While the cache is unreachable: 0 (FAIL_OPEN), this process's
    own count (PER_PROCESS) or `RateLimitUnavailable(message)` (FAIL_CLOSED)."""
    key = _key(scope, ident)
    try:
        return increment_counter(key, window_seconds)
    except CacheUnavailable:
        return _outage(on_outage, message, lambda: _local_increment(key, window_seconds))


def count(scope: str, ident: str, *, on_outage: str = FAIL_CLOSED, message=None) -> int:
    """The current count for (scope, ident); during an outage as `increment()` says."""
    key = _key(scope, ident)
    value = cache.get(key)
    if value is None and not is_available():
        return _outage(on_outage, message, lambda: int(outage_memory.get(key) or 0))
    return int(value or 0)


def reset(scope: str, ident: str) -> None:
    """Clears the counter (in the cache, and in this process for PER_PROCESS limits)."""
    key = _key(scope, ident)
    outage_memory.delete(key)
    cache.delete(key)
