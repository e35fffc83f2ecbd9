"""/healthz tells a load balancer whether the database and the cache work."""

import time
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


# --- /healthz/live and /healthz/ready (load balancers, orchestrators) ----------------

PROBE_HOST = "10.0.0.11:8000"  # a probe by address: not in ALLOWED_HOSTS


def test_liveness_answers_by_address_without_touching_the_database(client):
    # No django_db mark: any query would raise here.
    with mock.patch("core.health.cache.set", side_effect=ConnectionError("redis gone")):
        response = client.get("/healthz/live", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert client.head("/healthz/live/", HTTP_HOST=PROBE_HOST).status_code == 200


@pytest.mark.django_db
def test_readiness_answers_by_address_with_every_check(client):
    from ads.services import ad_counts_flush

    ad_counts_flush()  # the periodic job ran: its heartbeat is fresh
    response = client.get("/healthz/ready", HTTP_HOST=PROBE_HOST)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": "ok",
        "cache": "ok",
        "counters_cache": "ok",
        "task_backlog": "ok",
        "ad_counts_flush": "ok",
    }
    assert body["down"] == [] and body["warnings"] == []
    assert body["details"]["task_backlog"] == {"waiting": 0, "oldest_seconds": 0}
    assert body["details"]["ad_counts_flush"]["last_seconds"] <= 5


@pytest.mark.django_db
def test_readiness_warns_without_failing_when_the_ad_count_flush_is_overdue(client, settings):
    from django.core.cache import caches

    from core.health import AD_COUNTS_FLUSH, HEARTBEAT_KEY

    settings.HEALTH_AD_FLUSH_MAX_AGE = 300
    caches["counters"].set(HEARTBEAT_KEY.format(name=AD_COUNTS_FLUSH), time.time() - 900, None)
    response = client.get("/healthz/ready")
    # Shared by every server: a 503 would take them all out of rotation at once.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["warnings"] == ["ad_counts_flush"]
    assert body["checks"]["ad_counts_flush"] == "warning: last flush 900 s ago (limit 300)"


@pytest.mark.django_db
def test_readiness_reports_a_flush_that_never_ran(client):
    from django.core.cache import caches

    caches["counters"].clear()
    body = client.get("/healthz/ready").json()
    assert body["checks"]["ad_counts_flush"] == "warning: no flush recorded yet"


@pytest.mark.django_db
def test_readiness_warns_when_tasks_pile_up_for_the_workers(client, settings):
    from ads.tasks import flush_ad_counts

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.HEALTH_TASK_BACKLOG_MAX = 2
    for _ in range(3):
        flush_ad_counts.enqueue()  # no worker runs in this test: they wait
    body = client.get("/healthz/ready").json()
    assert body["details"]["task_backlog"]["waiting"] == 3
    assert body["checks"]["task_backlog"] == "warning: 3 tasks waiting (limit 2)"
    assert "task_backlog" in body["warnings"]


@pytest.mark.django_db
def test_readiness_answers_503_when_a_cache_role_is_down(client):
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.set",
        side_effect=ConnectionError("redis gone"),
    ):
        response = client.get("/healthz/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache", "counters_cache"]
    assert body["checks"]["ad_counts_flush"] == "unknown: counters_cache down"
    assert body["checks"]["task_backlog"] == "ok"
