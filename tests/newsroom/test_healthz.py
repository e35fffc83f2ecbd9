"""/healthz tells a load balancer whether the database and the cache work."""

from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_healthz_reports_ok_when_database_and_cache_work(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok"},
        "down": [],
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_a_head_probe(client):
    """Load balancers (HAProxy, AWS target groups) may probe with HEAD."""
    response = client.head("/healthz")
    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_database_when_it_is_down(client):
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["database"]
    assert body["checks"]["database"] == "down: OperationalError"
    assert body["checks"]["cache"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_cache_when_it_is_down(client):
    with mock.patch("core.health.cache.set", side_effect=ConnectionError("redis gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
