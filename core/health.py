"""``/healthz``: the checks (each returns ``None`` when fine or a short error), the
view and the middleware that answers it before the Host header is looked at."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def check_database(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return exc.__class__.__name__
    return None


def check_cache() -> str | None:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return exc.__class__.__name__
    if value != "ok":
        return "cache did not return the value it stored"
    return None


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


class HealthCheckMiddleware:
    """Answers ``/healthz`` before anything looks at the Host header.

    Load balancers probe each app server by its address (``Host: 10.0.0.11:8000``),
    which is rightly not in ``ALLOWED_HOSTS``: every other middleware would answer
    400 (DisallowedHost). The health answer names no host and sets no cookie, so
    it is safe to give for any host. Must be the outermost middleware (the
    settings insert it first); no side effects beyond the checks themselves.
    """

    PATHS = frozenset({"/healthz"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in self.PATHS:
            response = healthz(request)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        return self.get_response(request)
