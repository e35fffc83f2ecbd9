"""What a page-cache hit costs in Redis round trips (issue #14), on a real Redis: a hit
on a page in process memory none (the epoch every invalidation replaces is a tracked
key, ``core.cache.TrackedKey``: Redis pushes its changes), a hit from the shared cache
one (entry and tag versions from one script call)."""

import threading
import time

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from core import pagecache
from tests.performance import urls as page_urls
from tests.support.servers import redis_server

pytestmark = [pytest.mark.slow, pytest.mark.urls("tests.performance.urls"), pytest.mark.django_db]


@pytest.fixture
def redis_url(settings):
    with redis_server() as url:
        backend = {"BACKEND": "core.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "rt"}
        with override_settings(CACHES={"default": backend, "counters": backend}):
            settings.PAGE_CACHE_ENABLED = True
            pagecache.local_entries.clear()
            page_urls.STATE.update(renders=0, body="Version 1", fail=False)
            yield url
            caches["default"].clear()
            pagecache.local_entries.clear()


def round_trips(url: str, action) -> list[str]:
    """The commands this process sends to Redis while ``action()`` runs, as Redis's
    MONITOR sees them (commands a script runs inside Redis are not round trips)."""
    raw = redis.Redis.from_url(url)
    stopper = redis.Redis.from_url(url)
    stopper.ping()  # connected before watching: its ECHO below adds no handshake
    seen: list[str] = []
    ready = threading.Event()

    def watch() -> None:
        with raw.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if command["command"].upper().startswith("ECHO") and "stop" in command["command"]:
                    return
                if command.get("client_type") != "lua":
                    seen.append(command["command"].split()[0].upper())

    watcher = threading.Thread(target=watch)
    watcher.start()
    ready.wait(5)
    time.sleep(0.2)
    action()
    stopper.echo("stop")
    watcher.join(5)
    return seen


@pytest.fixture
def epoch():
    """The process's tracked epoch, read once and then trusted for a minute (so the
    counts below do not depend on when its once-a-second refresh falls)."""
    tracked = caches["default"].tracked(pagecache.EPOCH_KEY)
    tracked.max_age = 60
    yield tracked
    tracked.max_age = 1.0


def test_a_hit_from_the_shared_cache_is_one_script_call(client, redis_url, epoch):
    assert client.get("/seite/")["X-Page-Cache"] == "MISS"
    epoch.get()
    pagecache.local_entries.clear()  # another app server: nothing in its memory
    responses = []
    sent = round_trips(redis_url, lambda: responses.append(client.get("/seite/")))
    assert responses[0]["X-Page-Cache"] == "HIT"
    assert responses[0].content == b"<p>Version 1</p>"
    assert sent == ["EVALSHA"]


def test_a_hit_from_process_memory_sends_nothing_to_redis(client, redis_url, epoch):
    client.get("/seite/")
    client.get("/seite/")  # now in this process's memory too
    responses = []
    sent = round_trips(redis_url, lambda: responses.extend(client.get("/seite/") for _ in range(3)))
    assert [r["X-Page-Cache"] for r in responses] == ["HIT"] * 3
    assert sent == []


def test_a_page_in_process_memory_goes_stale_the_moment_another_server_invalidates(
    client, redis_url, epoch
):
    client.get("/seite/")
    assert client.get("/seite/")["X-Page-Cache"] == "HIT"
    page_urls.STATE["body"] = "Version 2"
    # Another app server's invalidation: its own connection, not this process's cache.
    other = redis.Redis.from_url(redis_url)
    for key in other.scan_iter("rt:*pagecache:tag:article:1"):
        other.set(key, time.time_ns())
    other.set(caches["default"].make_key(pagecache.EPOCH_KEY), time.time_ns())
    response = client.get("/seite/")
    assert response["X-Page-Cache"] == "MISS"
    assert response.content == b"<p>Version 2</p>"


def test_a_lost_tracking_connection_falls_back_to_checking_every_hit(client, redis_url, epoch):
    client.get("/seite/")
    client.get("/seite/")
    redis.Redis.from_url(redis_url).client_kill_filter(_type="normal", skipme=True)
    page_urls.STATE["body"] = "Version 2"
    pagecache.invalidate("article:1")
    response = client.get("/seite/")
    assert response["X-Page-Cache"] == "MISS"
    assert response.content == b"<p>Version 2</p>"
    assert client.get("/seite/")["X-Page-Cache"] == "HIT"


def test_a_page_in_process_memory_is_checked_again_once_the_epoch_is_older_than_its_max_age(
    client, redis_url, epoch
):
    epoch.max_age = 0.2
    client.get("/seite/")
    client.get("/seite/")
    time.sleep(0.3)
    sent = round_trips(redis_url, lambda: client.get("/seite/"))
    assert sent == ["GET"]  # the epoch read again; unchanged, so the entry is still fresh


def test_an_invalidated_page_is_rendered_again_through_the_script(client, redis_url):
    client.get("/seite/")
    pagecache.local_entries.clear()
    page_urls.STATE["body"] = "Version 2"
    pagecache.invalidate("article:1")
    response = client.get("/seite/")
    assert response["X-Page-Cache"] == "MISS"
    assert response.content == b"<p>Version 2</p>"
    pagecache.local_entries.clear()
    assert client.get("/seite/")["X-Page-Cache"] == "HIT"


def test_an_evicted_tag_makes_the_entry_stale(client, redis_url):
    raw = redis.Redis.from_url(redis_url)
    client.get("/seite/")
    pagecache.local_entries.clear()
    for key in raw.scan_iter("rt:*pagecache:tag:article:1"):
        raw.delete(key)
    assert client.get("/seite/")["X-Page-Cache"] == "MISS"


def test_an_invalidation_is_one_transaction(redis_url):
    """Tag versions, the epoch, the fill-from-primary window and the dropped next-change
    time: one MULTI/EXEC, so no reader sees the epoch without its tags."""
    sent = round_trips(redis_url, lambda: pagecache.invalidate("article:1", "site"))
    # (a HELLO is a new connection's handshake, not part of the purge)
    assert [c for c in sent if c != "HELLO"] == ["MULTI", "SET", "SET", "SET", "SET", "DEL", "EXEC"]


def test_a_rate_limit_count_is_one_transaction_and_expires(redis_url):
    from core import ratelimit

    caches["counters"].get("connected")
    counts = []
    sent = round_trips(
        redis_url,
        lambda: counts.extend(
            ratelimit.hit("t", "1.2.3.4", limit=2, window=60).count for _ in range(3)
        ),
    )
    assert counts == [1, 2, 3]
    assert sent == ["MULTI", "SET", "INCRBY", "EXEC"] * 3
    client = redis.Redis.from_url(redis_url)
    (key,) = client.scan_iter("rt:*ratelimit:t:*")
    assert 0 < client.ttl(key) <= 61
