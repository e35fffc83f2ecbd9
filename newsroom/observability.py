"""Errors and logs an operator can follow: a request ID on every request, log lines that
name it, JSON logs (``LOG_FORMAT=json``) and optional error tracking with sentry-sdk
(``SENTRY_DSN``; Sentry or a self-hosted GlitchTip).

- ``RequestIdMiddleware`` (outermost) takes the proxy's ``X-Request-ID`` when it looks like
  one, or makes one, answers it in ``X-Request-ID`` and keeps the request for the log
  records of this request (a context variable, so threads and tasks do not mix them up).
- ``RequestContextFilter`` puts ``request_id``, ``method``, ``path`` and ``user_id`` on every
  record logged while a request runs; both formatters print them, so a 500 in the log
  carries its request, its user (when the request already knew it) and its traceback.
- ``init_sentry`` is called by the settings when ``SENTRY_DSN`` is set; events carry the
  request ID as a tag and the user's ID only (no names, addresses or cookies).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("newsroom_request", default=None)
# What a proxy may hand us as request ID: letters, digits and - _ . : up to 64 characters
# (nginx's $request_id is 32 hex digits); anything else is replaced, never logged.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
REQUEST_ID_HEADER = "X-Request-ID"


def current_request_id() -> str | None:
    """The ID of the request this code runs for, None outside a request."""
    request = _current_request.get()
    return getattr(request, "request_id", None) if request is not None else None


class RequestIdMiddleware:
    """Gives each request an ID (the proxy's ``X-Request-ID`` or a new one) and answers it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if _VALID_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _user_id(request: HttpRequest) -> int | None:
    # Only a user the request already loaded: logging must not query the database (the
    # error being logged may be that the database is gone). AuthenticationMiddleware keeps
    # the loaded user in _cached_user.
    user = request.__dict__.get("_cached_user")
    return getattr(user, "pk", None) if user is not None else None


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``method``, ``path``, ``user_id`` (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        # django.request passes its request along; prefer it (same request, or None).
        request = getattr(record, "request", None) or request
        if not isinstance(request, HttpRequest):
            request = None
        record.request_id = getattr(request, "request_id", None) if request else None
        record.method = request.method if request else None
        record.path = request.path if request else None
        record.user_id = _user_id(request) if request else None
        return True


class PlainFormatter(logging.Formatter):
    """``time LEVEL logger message [request=… GET /path user=…]`` and the traceback."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        line = super().formatMessage(record)
        request_id = getattr(record, "request_id", None)
        if request_id:
            user = getattr(record, "user_id", None)
            line += (
                f" [request={request_id} {getattr(record, 'method', '')} "
                f"{getattr(record, 'path', '')}{f' user={user}' if user else ''}]"
            )
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request
    fields, ``status_code`` where Django gives one, ``exception`` and ``traceback``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "method", "path", "user_id", "status_code"):
            value = getattr(record, key, None)
            if value is not None:
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def _before_send(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Adds the request's user ID (only the ID) and request ID to an event."""
    request = _current_request.get()
    if request is not None:
        event.setdefault("tags", {})["request_id"] = request.request_id  # type: ignore[attr-defined]
        user_id = _user_id(request)
        if user_id is not None:
            event["user"] = {"id": str(user_id)}
    return event


def init_sentry(
    *, dsn: str, environment: str, release: str | None, traces_sample_rate: float
) -> None:
    """Starts sentry-sdk with Django's integration: uncaught errors and ERROR log records
    become events. Personal data stays off (the SDK's default): no cookies, IP addresses
    or user names leave the site; ``_before_send`` adds the user's numeric ID."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        # No send_default_pii / data_collection: the SDK's default collects no personal
        # data and scrubs cookies, auth headers and session values.
        traces_sample_rate=traces_sample_rate,
        before_send=_before_send,  # type: ignore[arg-type]
    )
