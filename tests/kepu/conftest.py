"""A Redis server of the test's own, to stop for real (kepu/cache.py: the site without Redis)."""

import os
import signal
import socket
import subprocess
import time

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """redis-server on a free loopback port: killed, paused and restarted like a real one."""

    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the server and everything it held are gone."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def pause(self) -> None:
        """SIGSTOP: connections hang (a network partition); the data survives."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is not None:
            self.resume()
            self.kill()


@pytest.fixture
def redis_server(tmp_path, settings):
    """The default cache on a Redis of this test's own, with a short retry interval.

    Sessions (cached_db), the page cache, memos and rate limits all use it, as in production.
    """
    from kepu.cache import outage_memory
    from kepu.memo import forget_all

    outage_memory.clear()
    server = ThrowawayRedis(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "kepu.cache.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "outage-test",
        }
    }
    settings.KEPU_REDIS_RETRY_MS = 100
    settings.KEPU_REDIS_TIMEOUT_MS = 200
    forget_all()
    yield server
    server.stop()
    forget_all()
    outage_memory.clear()


def wait_for_retry() -> None:
    """Sleeps past the retry interval the redis_server fixture sets."""
    time.sleep(0.15)


@pytest.fixture
def database_down(transactional_db):
    """New database connections go to a port where nothing listens until the test ends."""
    from django.db import connection

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    yield
    connection.close()
    connection.settings_dict["PORT"] = port
