"""Django's Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object
for every cache operation; redis-py fills a dict of ~170 response callbacks in
each constructor, which costs about 0.1 ms per call, more than the network
round trip on loopback. A page-cache hit makes one or two cache calls, so this
was most of its cost. ``redis.Redis`` is thread-safe over its pool, so one
client per pool is reused. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Private helpers of Django's RedisCacheClient that django-stubs does not declare.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient


def counter_cache() -> BaseCache:
    """The cache for counts that must survive memory pressure: ad counts, frequency caps,
    rate limits (the ``counters`` alias, ``REDIS_COUNTERS_URL``, run with ``noeviction``).

    Settings without that alias (a test replacing ``CACHES`` with one Redis) use the
    default cache. No side effects; the alias is resolved per call, so
    ``override_settings(CACHES=...)`` applies.
    """
    return caches["counters"] if "counters" in settings.CACHES else caches["default"]
