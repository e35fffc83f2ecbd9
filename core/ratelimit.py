"""Rate limits that hold across app servers (shared cache) and fail safe.

``hit(scope, key, limit=, window=)`` counts one event in a fixed time window and
says whether it is still allowed. Counters live in the counters cache (Redis in
production), so every app server sees the same counts. When that cache is
unreachable the counters fall back to this process's memory: limits keep
working per process, nothing crashes, nothing already accepted is lost.

``RateLimited`` is the one exception for "too many": raise it from a view or
service and ``RateLimitMiddleware`` turns it into the one 429 answer,
``rate_limited_response`` (German message, ``Retry-After``, JSON for scripts).
A view that should show its form again (the text stays) catches it and calls
``rate_limited_response(request, error, template=..., context=...)`` itself.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Re-exported: the one client-IP function (trusted proxies, see core/clientip.py).
from core.cache import RedisCache, counter_cache
from core.clientip import client_ip  # noqa: F401
from core.views import error_page  # the navigation falls back when the DB is down

logger = logging.getLogger(__name__)

_fallback = LocMemCache("newsroom-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int


class RateLimited(Exception):  # noqa: N818 - reads better at the raise site
    """Too many attempts; ``retry_after`` seconds until the next one is accepted.

    ``message`` tells the reader what happened (German default when omitted).
    """

    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = max(1, int(retry_after))
        self.message = message or _(
            "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es dann erneut."
        )
        super().__init__(self.message)


def _count(backend: BaseCache, key: str, window: int) -> int:
    if isinstance(backend, RedisCache):
        return backend.count(key, window + 1)  # one round trip
    if backend.add(key, 1, timeout=window + 1):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between add() and incr()
        backend.add(key, 1, timeout=window + 1)
        return 1


def hit(
    scope: str, key: str | None, *, limit: int, window: int, cache_alias: str | None = None
) -> Decision:
    """Count one event for ``key`` in ``scope``; allowed while count <= limit.

    ``key`` None (e.g. ``client_ip`` without a usable address) is one shared key.
    """
    now = time.time()
    bucket = int(now // window)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{bucket}"
    backend = counter_cache() if cache_alias is None else caches[cache_alias]
    try:
        count = _count(backend, cache_key, window)
    except Exception:  # noqa: BLE001 - shared cache down: per-process limits
        logger.warning("rate limit cache unavailable, using process-local counters", exc_info=True)
        count = _count(_fallback, cache_key, window)
    retry_after = math.ceil(window - (now % window))
    return Decision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def seconds_to_wait(scope: str, key: str | None, *, limit: int, window: int) -> int | None:
    """Count one event; seconds until the next is accepted when ``limit`` is
    exceeded, else None. ``limit`` <= 0 means no limit (nothing is counted).

    Side effect: a counter in the shared cache (per-process fallback when it is down).
    """
    if limit <= 0:
        return None
    decision = hit(scope, key, limit=limit, window=window)
    return None if decision.allowed else decision.retry_after


def enforce(
    scope: str, key: str | None, *, limit: int, window: int, message: str | None = None
) -> None:
    """``hit`` and raise ``RateLimited`` when the limit is exceeded."""
    decision = hit(scope, key, limit=limit, window=window)
    if not decision.allowed:
        raise RateLimited(decision.retry_after, message)


def wants_json(request: HttpRequest) -> bool:
    """The page's script asked (``Accept: application/json`` or ``X-Requested-With: fetch``)."""
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "fetch"
    )


def rate_limited_response(
    request: HttpRequest,
    error: RateLimited,
    *,
    template: str | None = None,
    context: dict | None = None,
) -> HttpResponse:
    """The one 429 answer: ``Retry-After``, never cached, the message in German.

    Scripts get JSON (``ok``/``message`` as every form endpoint answers, plus
    ``error``/``retry_after``). Pages get ``template`` rendered with ``context``
    and ``error``/``message``/``retry_after`` when given (a form shown again with
    what the reader typed), else the site's 429 page (no session or user lookups,
    navigation from the cache when the database is down). No side effects.
    """
    if wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "ok": False,
                "message": error.message,
                "error": error.message,
                "retry_after": error.retry_after,
            },
            status=429,
        )
    elif template:
        response = render(
            request,
            template,
            {
                **(context or {}),
                "error": error.message,
                "message": error.message,
                "retry_after": error.retry_after,
            },
            status=429,
        )
    else:
        response = error_page(
            request,
            status=429,
            template="429.html",
            context={"message": error.message, "retry_after": error.retry_after},
        )
    response["Retry-After"] = str(error.retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return rate_limited_response(request, exception)
        return None
