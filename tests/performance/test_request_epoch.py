"""One request works with one epoch (``core.pagecache.current_epoch``): read from the
tracked key on first use and held until the request ends, so a warm page's dozen
memo reads (fragments, navigation, ad slots, ticker) poll the tracking connection once.
A purge by this process is seen at once; another server's by the next request."""

import time

import pytest
import redis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.utils import timezone

from core import pagecache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("cache_backend", ["redis"], indirect=True),
]


def another_server_purges(url: str) -> None:
    """What another app server's ``invalidate`` does to the epoch, on its own connection."""
    redis.Redis.from_url(url).set(caches["default"].make_key(pagecache.EPOCH_KEY), time.time_ns())
    time.sleep(0.05)  # the push reaches this process's tracking connection


def test_a_warm_article_page_polls_the_epoch_once(client, cache_backend, monkeypatch):
    article = ArticleFactory(
        section=SectionFactory(slug="wirtschaft"),
        published=True,
        go_live_at=timezone.now(),
        first_published_at=timezone.now(),
    )
    first = client.get(article.get_absolute_url()).content
    client.get(article.get_absolute_url())  # warm in this process's memory
    tracked = caches["default"].tracked(pagecache.EPOCH_KEY)
    polls = []
    original = type(tracked).get
    monkeypatch.setattr(type(tracked), "get", lambda self: polls.append(1) or original(self))
    assert client.get(article.get_absolute_url()).content == first
    assert len(polls) == 1


def test_another_servers_purge_reaches_the_next_request_not_the_running_one(
    cache_backend, shared_redis_url
):
    pagecache.current_epoch()  # a flushed Redis has none yet: this starts one
    request_started.send(sender=None)
    try:
        held = pagecache.current_epoch()
        another_server_purges(shared_redis_url)
        assert pagecache.current_epoch() == held  # one page, one state
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert pagecache.current_epoch() != held
    finally:
        request_finished.send(sender=None)


def test_this_processs_own_purge_is_seen_at_once_inside_the_request(cache_backend):
    """E.g. an admin save that renders its answer after the purge: the memos it reads
    next are checked against the new epoch, read from Redis (the push may be late)."""
    pagecache.current_epoch()
    request_started.send(sender=None)
    try:
        held = pagecache.current_epoch()
        pagecache.invalidate("article:1")
        assert pagecache.current_epoch() not in (held, None)
    finally:
        request_finished.send(sender=None)


def test_outside_a_request_every_read_sees_a_purge(cache_backend, shared_redis_url):
    """Tasks and management commands hold no epoch: each read polls."""
    pagecache.current_epoch()
    before = pagecache.current_epoch()
    another_server_purges(shared_redis_url)
    assert pagecache.current_epoch() != before
