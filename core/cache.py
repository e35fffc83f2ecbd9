"""Django's Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client()`` builds a new ``redis.Redis`` object
for every cache operation; redis-py fills a dict of ~170 response callbacks in
each constructor, which costs about 0.1 ms per call, more than the network
round trip on loopback. A page-cache hit makes one or two cache calls, so this
was most of its cost. ``redis.Redis`` is thread-safe over its pool, so one
client per pool is reused. Everything else is Django's backend unchanged.
"""

from __future__ import annotations

import logging
import os
import threading
import time
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


# One round trip for a page-cache hit: the entry and the current versions of the tags
# it depends on (listed, as full Redis keys, under a second key written with it).
_FETCH_WITH_DEPENDENCIES = """
local value = redis.call('GET', KEYS[1])
if not value then return false end
local listed = redis.call('GET', KEYS[2])
if not listed then return {value} end
local keys = {}
for key in string.gmatch(listed, '[^ ]+') do keys[#keys + 1] = key end
local result = {value}
if #keys > 0 then
  local found = redis.call('MGET', unpack(keys))
  for i = 1, #keys do result[i + 1] = found[i] end
end
return result
"""


# A hit on an entry held in process memory: do the tags still have the versions the entry
# was built with? Compared inside Redis (one boolean back instead of one value per tag).
_VERSIONS_MATCH = """
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[i] then return 0 end
end
return 1
"""


logger = logging.getLogger(__name__)


class TrackedKey:
    """One Redis key's raw value held in process memory and kept current by Redis itself:
    server-assisted client-side caching (``CLIENT TRACKING`` on a RESP3 connection of
    its own). Redis pushes an invalidation over that connection when the key changes
    (or is evicted, or the database flushed), so reading the value costs a
    non-blocking poll of one socket (a few microseconds), not a round trip.

    Bounded by ``max_age``: the value is read again at least that often, so a silently
    broken connection (no push can arrive) holds an old value for at most that long.
    Per process (a forked worker opens its own connection) and thread-safe. Any error
    closes the connection and answers ``None`` ("unknown": the caller checks the long
    way); it reconnects after ``retry_after`` seconds. Side effects: one connection per
    process, a ``GET`` on the first read, after each change and every ``max_age``.
    """

    def __init__(self, backend: RedisCache, key: str, *, max_age: float = 1.0) -> None:
        self._backend = backend
        self._key = key
        self.max_age = max_age
        self.retry_after = 1.0
        self._lock = threading.Lock()
        self._pid = 0
        self._conn: Any = None
        self._value: bytes | None = None
        self._read_at = 0.0
        self._failed_at = 0.0

    @property
    def connected(self) -> bool:
        """Whether this process has a working tracking connection (then a ``None`` from
        ``get`` means the key is missing, not unknown)."""
        return self._conn is not None and self._pid == os.getpid()

    def get(self) -> bytes | None:
        """The key's current raw value, or ``None`` when missing or not known."""
        with self._lock:
            try:
                return self._get()
            except Exception:  # noqa: BLE001 - Redis down or the connection broken
                logger.info("tracked key %s: connection lost", self._key, exc_info=True)
                self._close()
                self._failed_at = time.monotonic()
                return None

    def expire(self) -> None:
        """Read the key from Redis on the next ``get`` (this process just wrote it: the
        push announcing the change may not have arrived yet)."""
        with self._lock:
            self._read_at = float("-inf")

    def _get(self) -> bytes | None:
        now = time.monotonic()
        if self._conn is None or self._pid != os.getpid():
            if now - self._failed_at < self.retry_after:
                return None
            self._connect()
        elif not self._conn.can_read(0) and now - self._read_at < self.max_age:
            return self._value
        while self._conn.can_read(0):  # invalidation pushes: drop them, read again
            self._conn.read_response(push_request=True)
        self._conn.send_command("GET", self._backend.make_key(self._key))
        value: bytes | None = self._conn.read_response()
        self._value, self._read_at = value, now
        return value

    def _connect(self) -> None:
        # Never close a connection inherited through fork: it belongs to the parent.
        self._conn = None
        client = self._backend._cache.get_client(self._key)
        pool = client.connection_pool
        conn = pool.connection_class(**{**pool.connection_kwargs, "protocol": 3})
        conn.connect()
        conn.send_command("CLIENT", "TRACKING", "ON")
        conn.read_response()
        self._conn, self._pid = conn, os.getpid()

    def _close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            try:
                self._conn.disconnect()
            except Exception:  # noqa: BLE001, S110 - closing a broken connection
                pass
        self._conn = None


_TRACKED: dict[tuple[tuple[str, ...], str], TrackedKey] = {}
_TRACKED_LOCK = threading.Lock()


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._scripts: dict[tuple[int, str], Any] = {}

    def tracked(self, key: str) -> TrackedKey:
        """The process's ``TrackedKey`` for ``key`` on this cache's server, shared by
        its threads (Django makes one backend object per thread), created on first use."""
        name = (tuple(self._servers), self.make_key(key))  # type: ignore[attr-defined]
        found = _TRACKED.get(name)
        if found is None:
            with _TRACKED_LOCK:
                found = _TRACKED.setdefault(name, TrackedKey(self, key))
        return found

    def _script(self, client: Any, source: str) -> Any:
        key = (id(client), source)
        script = self._scripts.get(key)
        if script is None:
            script = self._scripts[key] = client.register_script(source)
        return script

    def versions_match(self, keys: list[str], expected: list[int | None]) -> bool:
        """Whether each of ``keys`` holds the integer in ``expected`` (a missing key or
        a ``None`` never matches), in ONE round trip (a Lua script)."""
        if not keys:
            return True
        if any(value is None for value in expected):
            return False
        client = self._cache.get_client(keys[0])
        found = self._script(client, _VERSIONS_MATCH)(
            keys=[self.make_key(key) for key in keys], args=[str(value) for value in expected]
        )
        return bool(found)

    def set_dependencies(self, key: str, keys: list[str], timeout: float) -> None:
        """List ``keys`` under ``key`` (for ``get_with_dependencies``) for ``timeout`` s."""
        client = self._cache.get_client(key, write=True)
        listed = " ".join(self.make_and_validate_key(k) for k in keys)
        client.set(self.make_and_validate_key(key), listed, ex=max(int(timeout), 1))

    def write(
        self, values: list[tuple[str, Any, float | None]], *, delete: tuple[str, ...] = ()
    ) -> None:
        """Set each ``(key, value, timeout)`` (``None``: no expiry) and delete ``delete``,
        in ONE transaction and round trip: readers never see part of it."""
        client = self._cache.get_client(None, write=True)
        dumps = self._cache._serializer.dumps  # type: ignore[attr-defined]
        pipe = client.pipeline(transaction=True)
        for key, value, timeout in values:
            ex = None if timeout is None else max(int(timeout), 1)
            pipe.set(self.make_and_validate_key(key), dumps(value), ex=ex)
        if delete:
            pipe.delete(*(self.make_and_validate_key(key) for key in delete))
        pipe.execute()

    def count(self, key: str, timeout: int) -> int:
        """Add one to the counter at ``key`` (created with ``timeout`` seconds) and return
        it: ``SET NX EX`` and ``INCR`` in one transaction, ONE round trip (``add`` and
        ``incr`` take three: Django's ``incr`` asks ``EXISTS`` first)."""
        client = self._cache.get_client(key, write=True)
        name = self.make_and_validate_key(key)
        pipe = client.pipeline(transaction=True)
        pipe.set(name, 0, ex=max(int(timeout), 1), nx=True)
        pipe.incr(name)
        return int(pipe.execute()[1])

    def get_with_dependencies(self, key: str, listing_key: str) -> tuple[Any, list[Any]] | None:
        """The value at ``key`` and the values of the keys listed at ``listing_key``
        (``None`` for a missing one), in ONE round trip (a Lua script); ``None`` when
        ``key`` holds nothing. An empty list when nothing is listed."""
        client = self._cache.get_client(key)
        found = self._script(client, _FETCH_WITH_DEPENDENCIES)(
            keys=[self.make_and_validate_key(key), self.make_and_validate_key(listing_key)]
        )
        if not found:
            return None
        loads = self._cache._serializer.loads  # type: ignore[attr-defined]
        return loads(found[0]), [None if raw is None else loads(raw) for raw in found[1:]]


def counter_cache() -> BaseCache:
    """The cache for counts that must survive memory pressure: ad counts, frequency caps,
    rate limits (the ``counters`` alias, ``REDIS_COUNTERS_URL``, run with ``noeviction``).

    Settings without that alias (a test replacing ``CACHES`` with one Redis) use the
    default cache. No side effects; the alias is resolved per call, so
    ``override_settings(CACHES=...)`` applies.
    """
    return caches["counters"] if "counters" in settings.CACHES else caches["default"]
