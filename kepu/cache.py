"""Django's Redis cache backend, keeping its redis.Redis client instead of building one per call.

Django's RedisCacheClient creates a new `redis.Redis` object for every cache operation, and
each one rebuilds redis-py's table of response callbacks (about 170 entries): 0.1–0.2 ms of
CPU per call, on every request that reads a session or counts a rate limit. A client is only
a handle on its connection pool, so one per pool is kept and reused. (Django hands every
thread its own backend instance, so nothing here is shared between threads.)
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
