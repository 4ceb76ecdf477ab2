"""kepu/cache.py: the Redis cache backend while Redis is stopped, hung and back again."""

import logging
import socket
import threading
import time

import pytest
from django.core.cache import cache

from kepu.cache import CacheUnavailable, increment_counter, is_available, status

from .conftest import wait_for_retry


def test_a_killed_redis_reads_as_a_miss_and_writes_do_nothing(redis_server):
    cache.set("greeting", "你好")
    redis_server.kill()

    started = time.perf_counter()
    assert cache.get("greeting") is None
    assert cache.get("greeting", "默认") == "默认"
    assert cache.get_many(["greeting"]) == {}
    assert cache.add("new", 1) is False
    assert cache.delete("greeting") is False
    assert cache.has_key("greeting") is False
    cache.set("greeting", "再见")
    cache.set_many({"a": 1, "b": 2})
    cache.delete_many(["a", "b"])
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert time.perf_counter() - started < 0.5  # refused connections cost nothing much
    assert not is_available()


def test_a_hung_redis_is_given_up_after_the_timeout_and_left_alone_until_the_retry(settings):
    # A server that accepts connections and never answers: Redis stopped mid-flight, or a
    # partition after the handshake. It counts the connections it is offered.
    hung = socket.create_server(("127.0.0.1", 0))
    hung.listen(100)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(hung.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{hung.getsockname()[1]}/0",
        }
    }
    settings.KEPU_REDIS_TIMEOUT_MS = 200
    settings.KEPU_REDIS_RETRY_MS = 60_000
    try:
        started = time.perf_counter()
        results = [cache.get("k", "默认") for _ in range(100)]
        elapsed = time.perf_counter() - started
    finally:
        hung.close()
        for connection in accepted:
            connection.close()

    assert results == ["默认"] * 100
    assert len(accepted) == 1  # one call waited for the timeout; the others did not try
    assert elapsed < 5  # bounded by the socket timeout, not the operating system's


def test_values_come_back_once_redis_is_back(redis_server):
    redis_server.kill()
    assert cache.get("k") is None
    redis_server.start()
    wait_for_retry()

    cache.set("k", "v")
    assert cache.get("k") == "v"
    assert is_available()


def test_writes_lost_during_a_partition_are_deleted_when_redis_returns(redis_server):
    cache.set("session", "signed in")
    cache.set("untouched", "kept")
    redis_server.pause()  # the data survives, as with a network partition
    try:
        cache.delete("session")  # a sign-out that cannot reach Redis
        cache.set("memo-version", 2)
    finally:
        redis_server.resume()
    wait_for_retry()

    # The stale value would revive the session: it is deleted before anything is read.
    assert cache.get("session") is None
    assert cache.get("memo-version") is None
    assert cache.get("untouched") == "kept"


def test_the_outage_and_the_recovery_are_logged_once_each(redis_server, caplog):
    redis_server.kill()
    with caplog.at_level(logging.WARNING, logger="kepu.cache"):
        for _ in range(5):
            cache.get("k")
            wait_for_retry()
        redis_server.start()
        wait_for_retry()
        for _ in range(3):
            cache.get("k")

    messages = [record.getMessage() for record in caplog.records]
    assert messages.count("cache unreachable: serving without it") == 1
    assert messages.count("cache reachable again") == 1


def test_counters_refuse_to_guess_while_redis_is_down(redis_server):
    assert increment_counter("hits", 60) == 1
    redis_server.kill()

    with pytest.raises(CacheUnavailable):
        increment_counter("hits", 60)


def test_status_says_how_long_redis_has_been_down_and_notices_its_return(redis_server):
    assert status()["available"] is True
    redis_server.kill()
    cache.get("k")
    time.sleep(0.2)

    down = status()
    assert down["available"] is False and down["down_seconds"] >= 0.2
    assert "Connection refused" in down["last_error"] or "Error" in down["last_error"]

    redis_server.start()
    wait_for_retry()
    assert status() == {"available": True, "down_seconds": None, "last_error": ""}


@pytest.mark.sqlite
def test_a_cache_other_than_redis_counts_as_always_available(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert is_available()
    assert status() == {"available": True, "down_seconds": None, "last_error": ""}
