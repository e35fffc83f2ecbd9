"""Health endpoints for load balancers and monitoring, answered before the Host header
is looked at (``HealthCheckMiddleware``):

- ``/healthz/live``: the process answers. No database, no cache: a load balancer or
  orchestrator that restarts on a failed liveness probe must not restart app servers
  because PostgreSQL is down (they keep serving cached pages).
- ``/healthz/ready``: this server can serve requests: database and both cache roles
  (503 when one is down), plus the task backlog and the age of the last ad-count flush,
  which are shared by every server and therefore reported as ``warnings`` (HTTP 200):
  failing readiness on them would take every server out of rotation at once.
- ``/healthz``: the original combined check (database and cache), unchanged.

Each check returns ``None`` when fine or a short error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.cache import counter_cache

# Heartbeats of periodic jobs, in the counters cache (never evicted): the job records
# when it last succeeded, readiness reports how long ago that was.
HEARTBEAT_KEY = "healthz:heartbeat:{name}"
AD_COUNTS_FLUSH = "ad_counts_flush"


def check_database(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return exc.__class__.__name__
    return None


def check_cache(alias: str | None = None) -> str | None:
    store = cache if alias is None else caches[alias]
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        store.set(key, "ok", 5)
        value = store.get(key)
        store.delete(key)
    except Exception as exc:  # noqa: BLE001
        return exc.__class__.__name__
    if value != "ok":
        return "cache did not return the value it stored"
    return None


def record_heartbeat(name: str) -> None:
    """Note that periodic job ``name`` just succeeded (a write to the counters cache).

    Never raises: a cache outage must not fail the job that reports it.
    """
    try:
        counter_cache().set(HEARTBEAT_KEY.format(name=name), time.time(), timeout=None)
    except Exception:  # noqa: BLE001, S110 - readiness then reports the heartbeat as old
        pass


def heartbeat_age(name: str) -> float | None:
    """Seconds since job ``name`` last succeeded; ``None`` when never recorded.

    Raises what the cache raises (the caller reports it).
    """
    value = counter_cache().get(HEARTBEAT_KEY.format(name=name))
    return None if value is None else max(0.0, time.time() - float(value))


def check_task_backlog() -> tuple[str | None, dict[str, Any]]:
    """Tasks waiting for a worker and the age of the oldest; a warning above the limits."""
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    waiting = ready.count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    detail = {"waiting": waiting, "oldest_seconds": round(age)}
    if waiting > settings.HEALTH_TASK_BACKLOG_MAX:
        return f"{waiting} tasks waiting (limit {settings.HEALTH_TASK_BACKLOG_MAX})", detail
    if age > settings.HEALTH_TASK_AGE_MAX:
        return f"oldest task waits {round(age)} s (limit {settings.HEALTH_TASK_AGE_MAX})", detail
    return None, detail


def check_ad_counts_flush() -> tuple[str | None, dict[str, Any]]:
    """How long ago ``flush_ad_counts`` last succeeded; a warning above the limit."""
    age = heartbeat_age(AD_COUNTS_FLUSH)
    if age is None:
        return "no flush recorded yet", {"last_seconds": None}
    detail = {"last_seconds": round(age)}
    if age > settings.HEALTH_AD_FLUSH_MAX_AGE:
        return f"last flush {round(age)} s ago (limit {settings.HEALTH_AD_FLUSH_MAX_AGE})", detail
    return None, detail


def _state(error: str | None) -> str:
    return "ok" if error is None else f"down: {error}"


@require_safe  # GET and HEAD: load balancers probe with either
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and cache status: 200 when both work, 503 naming what is down."""
    checks = {"database": check_database(), "cache": check_cache()}
    down = [name for name, error in checks.items() if error]
    payload = {
        "status": "ok" if not down else "down",
        "checks": {
            name: ("ok" if error is None else f"down: {error}") for name, error in checks.items()
        },
        "down": down,
    }
    return JsonResponse(payload, status=503 if down else 200)


@require_safe
@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """The process answers: touches no database, cache or file."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 when the database or a cache role is down; the shared task backlog
    and ad-count flush age are reported as ``warnings`` with 200 (see the module doc)."""
    critical = {
        "database": check_database(),
        "cache": check_cache("default" if "default" in settings.CACHES else None),
        "counters_cache": check_cache("counters") if "counters" in settings.CACHES else None,
    }
    checks: dict[str, Any] = {name: _state(error) for name, error in critical.items()}
    down = [name for name, error in critical.items() if error]
    warnings: list[str] = []
    details: dict[str, Any] = {}
    for name, check, needs in (
        ("task_backlog", check_task_backlog, "database"),
        ("ad_counts_flush", check_ad_counts_flush, "counters_cache"),
    ):
        if needs in down:
            checks[name] = f"unknown: {needs} down"
            continue
        try:
            error, details[name] = check()
        except Exception as exc:  # noqa: BLE001 - a failing check is reported, not raised
            error = exc.__class__.__name__
        checks[name] = "ok" if error is None else f"warning: {error}"
        if error is not None:
            warnings.append(name)
    status = "down" if down else ("degraded" if warnings else "ok")
    payload = {
        "status": status,
        "checks": checks,
        "down": down,
        "warnings": warnings,
        "details": details,
    }
    return JsonResponse(payload, status=503 if down else 200)


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything looks at the Host header.

    Answers ``/healthz``, ``/healthz/live`` and ``/healthz/ready``. Load balancers
    probe each app server by its address (``Host: 10.0.0.11:8000``),
    which is rightly not in ``ALLOWED_HOSTS``: every other middleware would answer
    400 (DisallowedHost). The health answer names no host and sets no cookie, so
    it is safe to give for any host. Must be the outermost middleware (the
    settings insert it first); no side effects beyond the checks themselves.
    """

    VIEWS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
        "/healthz": healthz,
        "/healthz/live": live,
        "/healthz/live/": live,
        "/healthz/ready": ready,
        "/healthz/ready/": ready,
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.VIEWS.get(request.path_info)
        if view is not None:
            response = view(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
