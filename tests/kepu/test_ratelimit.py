"""kepu/ratelimit.py: counters per window (Redis in the PostgreSQL run, locmem on SQLite)."""

import threading
import time

import pytest

from kepu import ratelimit

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
