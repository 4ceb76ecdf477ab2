"""kepu/ratelimit.py: counters per window (Redis in the PostgreSQL run, locmem on SQLite)."""

import threading
import time

import pytest

from kepu import ratelimit

from .conftest import wait_for_retry

pytestmark = pytest.mark.sqlite


def test_counts_within_a_window_and_starts_again_after_it():
    assert [ratelimit.increment("test", "10.0.0.1", 1) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count("test", "10.0.0.1") == 3
    assert ratelimit.count("test", "10.0.0.2") == 0  # each address has its own counter

    time.sleep(1.2)

    assert ratelimit.count("test", "10.0.0.1") == 0
    assert ratelimit.increment("test", "10.0.0.1", 1) == 1


def test_concurrent_increments_are_all_counted():
    def hit():
        for _ in range(25):
            ratelimit.increment("test-threads", "10.0.0.9", 60)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert ratelimit.count("test-threads", "10.0.0.9") == 100


def test_reset_clears_the_counter():
    ratelimit.increment("test", "10.0.0.3", 60)
    ratelimit.reset("test", "10.0.0.3")
    assert ratelimit.count("test", "10.0.0.3") == 0


# --- while Redis is down (a real, stopped redis-server) -----------------------------------------


def test_a_fail_open_limit_counts_nothing_and_lets_everyone_through(redis_server):
    redis_server.kill()

    counts = [
        ratelimit.increment("reads", "10.0.0.1", 60, on_outage=ratelimit.FAIL_OPEN)
        for _ in range(5)
    ]

    assert counts == [0] * 5
    assert ratelimit.count("reads", "10.0.0.1", on_outage=ratelimit.FAIL_OPEN) == 0


def test_a_fail_closed_limit_refuses_with_the_callers_message(redis_server):
    redis_server.kill()

    with pytest.raises(ratelimit.RateLimitUnavailable) as refused:
        ratelimit.increment("votes", "10.0.0.1", 60, message="投票暂停")
    with pytest.raises(ratelimit.RateLimitUnavailable):
        ratelimit.count("votes", "10.0.0.1")

    assert refused.value.message == "投票暂停"


def test_a_per_process_limit_keeps_counting_in_memory_until_redis_returns(redis_server):
    ratelimit.increment("sign-in", "user:a", 60)
    redis_server.kill()

    counts = [
        ratelimit.increment("sign-in", "user:a", 1, on_outage=ratelimit.PER_PROCESS)
        for _ in range(3)
    ]
    assert counts == [1, 2, 3]
    assert ratelimit.count("sign-in", "user:a", on_outage=ratelimit.PER_PROCESS) == 3
    assert ratelimit.count("sign-in", "user:b", on_outage=ratelimit.PER_PROCESS) == 0
    time.sleep(1.1)
    assert ratelimit.count("sign-in", "user:a", on_outage=ratelimit.PER_PROCESS) == 0

    redis_server.start()
    wait_for_retry()
    assert ratelimit.increment("sign-in", "user:a", 60, on_outage=ratelimit.PER_PROCESS) == 1
