"""Anonymous reader pages come from the shared cache, stay correct after
changes, survive cache and database outages, and never leak personal pages."""

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core import pagecache
from tests.factories import ArticleFactory
from tests.performance import urls as page_urls

pytestmark = [pytest.mark.urls("tests.performance.urls"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _enable_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    pagecache.local_entries.clear()
    page_urls.STATE.update(renders=0, body="Version 1", fail=False)


def test_second_anonymous_request_is_served_from_the_cache_byte_identical(client):
    first = client.get("/seite/")
    second = client.get("/seite/")
    assert first["X-Page-Cache"] == "MISS"
    assert second["X-Page-Cache"] == "HIT"
    assert first.content == second.content
    assert page_urls.STATE["renders"] == 1


def test_invalidating_a_tag_makes_the_next_request_render_fresh_content(client):
    client.get("/seite/")
    page_urls.STATE["body"] = "Version 2"
    pagecache.invalidate("article:1")
    response = client.get("/seite/")
    assert response["X-Page-Cache"] == "MISS"
    assert b"Version 2" in response.content


def test_invalidating_the_site_tag_reaches_every_page(client):
    client.get("/seite/")
    page_urls.STATE["body"] = "Version 3"
    pagecache.invalidate("site")
    assert b"Version 3" in client.get("/seite/").content


def test_requests_with_a_session_cookie_bypass_the_cache(client):
    client.get("/seite/")
    client.cookies["sessionid"] = "staff-session"
    response = client.get("/seite/")
    assert "X-Page-Cache" not in response
    assert page_urls.STATE["renders"] == 2


def test_pages_that_did_not_opt_in_are_never_stored(client):
    client.get("/privat/")
    response = client.get("/privat/")
    assert "X-Page-Cache" not in response
    assert page_urls.STATE["renders"] == 2


def test_conditional_get_on_a_cached_page_answers_304(client):
    client.get("/seite/")
    response = client.get("/seite/", HTTP_IF_NONE_MATCH='"Version 1"')
    assert response.status_code == 304


def test_stale_page_is_served_while_another_request_re_renders_it(client, settings):
    client.get("/seite/")
    pagecache.invalidate("article:1")
    key = pagecache._entry_key(RequestFactory().get("/seite/"))
    cache.add(pagecache.LOCK_KEY.format(key), 1, 10)  # someone else is rendering
    response = client.get("/seite/")
    assert response["X-Page-Cache"] == "STALE"
    assert page_urls.STATE["renders"] == 1


def test_a_stale_copy_is_served_when_the_database_is_down(client):
    client.get("/seite/")
    pagecache.invalidate("article:1")
    page_urls.STATE["fail"] = True
    response = client.get("/seite/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "STALE"
    assert b"Version 1" in response.content


def test_without_a_cached_copy_a_database_outage_gives_a_german_503_with_retry_after(client):
    page_urls.STATE["fail"] = True
    response = client.get("/seite/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_cache_outage_still_serves_pages(client):
    pagecache.local_entries.clear()
    with (
        mock.patch.object(cache, "get", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("redis down")),
    ):
        first = client.get("/seite/")
        second = client.get("/seite/")
    assert first.status_code == second.status_code == 200
    assert page_urls.STATE["renders"] == 2


def test_invalidate_never_raises_when_the_cache_is_down():
    with mock.patch.object(cache, "set_many", side_effect=ConnectionError("redis down")):
        pagecache.invalidate("site")


def test_a_cached_page_goes_stale_when_a_scheduled_article_goes_live(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    ArticleFactory(status="published", go_live_at=timezone.now() + timedelta(seconds=30))
    client.get("/seite/")
    assert client.get("/seite/")["X-Page-Cache"] == "HIT"
    later = time.time() + 31
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    assert client.get("/seite/")["X-Page-Cache"] == "MISS"


def test_a_cache_hit_replays_the_security_headers_of_the_render(client):
    first = client.get("/seite/")
    hit = client.get("/seite/")
    assert hit["X-Page-Cache"] == "HIT"
    for header in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "X-Frame-Options",
        "Content-Security-Policy",
    ):
        assert hit[header] == first[header]


def test_plain_http_and_https_are_cached_apart(client, settings):
    client.get("/seite/")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/seite/", HTTP_X_FORWARDED_PROTO="https")
    assert response["X-Page-Cache"] == "MISS"


def test_a_page_held_in_process_memory_is_still_invalidated_through_the_shared_cache(client):
    client.get("/seite/")
    assert client.get("/seite/")["X-Page-Cache"] == "HIT"  # now also held locally
    page_urls.STATE["body"] = "Version 4"
    pagecache.invalidate("article:1")  # e.g. from another app server
    assert b"Version 4" in client.get("/seite/").content
