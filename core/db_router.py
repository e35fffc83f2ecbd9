"""Read replicas: reader-page reads go to a replica, everything else to the primary.

``PrimaryPinningMiddleware`` marks a request as a *reader request* (safe method,
no recent write by this browser). Only reads inside reader requests are routed
to a replica; writes, admin work and every request within
``DATABASE_REPLICA_PIN_SECONDS`` after the same browser wrote something (a cookie
set on each unsafe request) use the primary, so a person always sees their own
change. Without ``DATABASE_REPLICA_URLS`` the router is not installed at all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "newsroom_primary"
_reader_request: ContextVar[bool] = ContextVar("newsroom_reader_request", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        replicas = replica_aliases()
        if _reader_request.get() and replicas:
            return random.choice(replicas)  # noqa: S311 - load spreading, not security
        return "default"

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
        try:
            response = self.get_response(request)
        finally:
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
