"""kepu/memo.py: per-process memos kept in step through one version in the shared cache."""

import time

import pytest

from kepu.memo import VersionedMemo

from .conftest import wait_for_retry

pytestmark = pytest.mark.sqlite


class Source:
    """Counts how often the memoised value is computed."""

    def __init__(self, value):
        self.value = value
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.value


def test_a_value_is_computed_once_until_it_is_invalidated():
    memo = VersionedMemo("test-once")
    source = Source("一")

    assert [memo.get("k", source) for _ in range(3)] == ["一"] * 3
    assert source.calls == 1

    source.value = "二"
    memo.invalidate()
    assert memo.get("k", source) == "二" and source.calls == 2


def test_another_process_forgets_after_its_recheck_interval():
    # Two memos of one name are what two gunicorn workers hold: one version in the cache.
    here = VersionedMemo("test-processes", recheck_seconds=0.2)
    there = VersionedMemo("test-processes", recheck_seconds=0.2)
    source = Source("旧")
    assert here.get("k", source) == "旧" and there.get("k", source) == "旧"

    source.value = "新"
    here.invalidate()

    assert here.get("k", source) == "新"  # the invalidating process at once
    deadline = time.monotonic() + 2
    while there.get("k", source) != "新":
        assert time.monotonic() < deadline, "the other process never saw the new version"
        time.sleep(0.05)


def test_an_evicted_version_still_counts_as_a_change():
    from django.core.cache import cache

    here = VersionedMemo("test-evicted", recheck_seconds=0)
    source = Source("旧")
    here.get("k", source)
    cache.delete(here.version_key)  # Redis evicted the key (or was restarted empty)

    source.value = "新"
    assert here.get("k", source) == "新"


def test_without_the_shared_cache_every_call_reads_the_source(settings):
    memo = VersionedMemo("test-unreachable")
    source = Source("值")
    # A Redis address where nothing listens: a real connection failure, not a mock.
    settings.CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    assert memo.get("k", source) == "值" and memo.get("k", source) == "值"
    assert source.calls == 2
    memo.invalidate()  # does not raise either


def test_the_memo_keeps_at_most_max_entries():
    entries = 3
    memo = VersionedMemo("test-bounded", max_entries=entries)
    source = Source("v")
    for key in range(entries + 2):
        memo.get(key, source)
    calls = source.calls
    memo.get(entries + 1, source)  # not kept: computed again
    assert source.calls == calls + 1


def test_an_invalidation_lost_in_an_outage_reaches_the_other_processes_when_redis_returns(
    redis_server,
):
    here = VersionedMemo("test-partition", recheck_seconds=0)
    there = VersionedMemo("test-partition", recheck_seconds=0)
    source = Source("旧")
    assert here.get("k", source) == "旧" and there.get("k", source) == "旧"

    redis_server.pause()  # a partition: Redis keeps the old version
    try:
        source.value = "新"
        here.invalidate()  # cannot reach Redis
    finally:
        redis_server.resume()
    wait_for_retry()

    # `there` read nothing during the outage, and Redis still holds the version it knows.
    assert there.get("k", source) == "新"


def test_values_are_kept_no_longer_than_their_maximum_age():
    memo = VersionedMemo("test-max-age", recheck_seconds=0, max_age_seconds=0.2)
    source = Source("旧")
    memo.get("k", source)
    source.value = "新"  # changed without an invalidation reaching this process

    time.sleep(0.3)

    assert memo.get("k", source) == "新"
