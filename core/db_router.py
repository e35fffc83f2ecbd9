"""Read replicas: reader-page reads go to a replica, everything else to the primary.

``PrimaryPinningMiddleware`` marks a request as a *reader request* (safe method,
no recent write by this browser). Only reads inside reader requests are routed
to a replica; writes, admin work and every request within
``DATABASE_REPLICA_PIN_SECONDS`` after the same browser wrote something (a cookie
set on each unsafe request) use the primary, so a person always sees their own
change. For ``DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS`` after any page-cache
invalidation, reader requests read the primary too: the pages and fragments they
rebuild are stored as fresh, and a lagging replica would make them old
(``core.pagecache.fills_from_primary``). Without ``DATABASE_REPLICA_URLS`` the router
is not installed at all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from core import pagecache

PIN_COOKIE = "newsroom_primary"
_reader_request: ContextVar[bool] = ContextVar("newsroom_reader_request", default=False)
# Per reader request, asked on its first read: a page cache hit reads nothing and so
# costs nothing more (None: not asked yet).
_fill_from_primary: ContextVar[bool | None] = ContextVar("newsroom_fill_primary", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        replicas = replica_aliases()
        if not (_reader_request.get() and replicas):
            return "default"
        primary = _fill_from_primary.get()
        if primary is None:
            primary = pagecache.fills_from_primary()
            _fill_from_primary.set(primary)
        if primary:
            return "default"
        return random.choice(replicas)  # noqa: S311 - load spreading, not security

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # replicas mirror the primary

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        return db == "default"


class PrimaryPinningMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        is_reader = (
            request.method in {"GET", "HEAD", "OPTIONS"}
            and PIN_COOKIE not in request.COOKIES
            and not request.path.startswith("/admin/")
        )
        token = _reader_request.set(is_reader)
        asked = _fill_from_primary.set(None)
        try:
            response = self.get_response(request)
        finally:
            _fill_from_primary.reset(asked)
            _reader_request.reset(token)
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=getattr(settings, "DATABASE_REPLICA_PIN_SECONDS", 15),
                httponly=True,
                samesite="Lax",
                secure=not settings.DEBUG,
            )
        return response
