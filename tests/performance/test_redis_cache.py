"""The Redis cache backend works against a real Redis and reuses its client."""

import pytest

from core.cache import RedisCache
from tests.support.servers import redis_server

pytestmark = pytest.mark.slow  # a real Redis server


@pytest.fixture(scope="module")
def redis_cache():
    with redis_server() as url:
        cache = RedisCache(url, {"KEY_PREFIX": "test-reuse"})
        yield cache
        cache.clear()


def test_values_round_trip_through_a_real_redis(redis_cache):
    redis_cache.set("seite", {"content": b"<p>Hallo</p>"}, 30)
    assert redis_cache.get("seite") == {"content": b"<p>Hallo</p>"}
    assert redis_cache.get_many(["seite", "fehlt"]) == {"seite": {"content": b"<p>Hallo</p>"}}
    assert redis_cache.add("zaehler", 1, 30) is True
    assert redis_cache.incr("zaehler") == 2


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client()
