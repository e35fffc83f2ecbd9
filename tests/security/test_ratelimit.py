"""Rate limits count across processes through the shared cache, answer 429 in
German with Retry-After, and keep working when the cache is down."""

import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from core import ratelimit
from core.ratelimit import RateLimited, RateLimitMiddleware


def test_events_up_to_the_limit_are_allowed_then_refused():
    decisions = [ratelimit.hit("test", "203.0.113.1", limit=3, window=60) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 1 <= decisions[-1].retry_after <= 60


def test_different_keys_and_scopes_are_counted_apart():
    for _ in range(3):
        ratelimit.hit("comment", "203.0.113.1", limit=3, window=60)
    assert ratelimit.hit("comment", "203.0.113.2", limit=3, window=60).allowed
    assert ratelimit.hit("search", "203.0.113.1", limit=3, window=60).allowed


def test_a_cache_outage_falls_back_to_process_local_limits():
    with (
        mock.patch.object(cache, "add", side_effect=ConnectionError("redis down")),
        mock.patch.object(cache, "incr", side_effect=ConnectionError("redis down")),
    ):
        decisions = [ratelimit.hit("outage", "198.51.100.9", limit=2, window=60) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]


@pytest.mark.django_db
def test_the_middleware_answers_429_in_german_with_retry_after():
    def view(request):
        raise RateLimited(42)

    middleware = RateLimitMiddleware(view)
    request = RequestFactory().post("/kommentare/")
    response = middleware.process_exception(request, RateLimited(42))
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    body = response.content.decode()
    assert "Zu viele Anfragen" in body
    assert "42 Sekunden" in body
    assert "bereits abgeschickt" in body


def test_json_clients_get_a_json_429():
    request = RequestFactory().post("/kommentare/", HTTP_ACCEPT="application/json")
    response = ratelimit.rate_limited_response(request, RateLimited(5, "Langsamer, bitte."))
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {
        "ok": False,
        "message": "Langsamer, bitte.",
        "error": "Langsamer, bitte.",
        "retry_after": 5,
    }


def test_other_exceptions_pass_through_the_middleware():
    middleware = RateLimitMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(RequestFactory().get("/"), ValueError()) is None
