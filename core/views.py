"""The error pages every app answers with.

Error pages (400, 403 with the CSRF failure, 404, 429, 500, 503) use the
site's layout in the request's language (from the URL: ``/en/`` is English).
The navigation comes from the cache; 400/403/404/429 may read it from the
database, 500 and 503 never touch the database (the cached navigation or none),
so they render while PostgreSQL is down.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from core.middleware import AdminLanguageMiddleware

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
NO_NAVIGATION: dict[str, list[object]] = {"sections": [], "pages": []}


# --- Error pages -----------------------------------------------------------------


def is_database_outage(exception: BaseException | None) -> bool:
    """True for errors that mean PostgreSQL cannot be reached (not for bad SQL)."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exception, (OperationalError, InterfaceError)) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


@dataclass(frozen=True)
class _NavigationSource:
    load: Callable[[], dict]
    cache_key: str


_navigation_source: _NavigationSource | None = None


def register_navigation_source(load: Callable[[], dict], *, cache_key: str) -> None:
    """Tell the error pages where the site navigation comes from.

    ``load`` reads it from the database; ``cache_key`` is where ``load`` keeps its
    cached copy. Called once from the owning app's ``AppConfig.ready()`` (articles),
    so core needs no import of that app. Without a source the pages show no navigation.
    """
    global _navigation_source
    _navigation_source = _NavigationSource(load=load, cache_key=cache_key)


def _navigation(*, use_database: bool) -> dict:
    """The header/footer navigation: cached copy, else (if allowed) the database, else none."""
    source = _navigation_source
    if source is None:
        return NO_NAVIGATION
    try:
        cached = cache.get(source.cache_key)
    except Exception:  # noqa: BLE001 - cache down: the database or no navigation
        cached = None
    if cached is not None or not use_database:
        return cached or NO_NAVIGATION
    try:
        return source.load()
    except DatabaseError:
        return NO_NAVIGATION


def error_page(
    request: HttpRequest,
    *,
    status: int,
    template: str,
    context: dict | None = None,
    use_database: bool = True,
) -> HttpResponse:
    """``template`` in the site's layout, in the language of the request's URL (of the editor
    for admin pages). Not cached.

    Rendered without the request's context processors (no session, user or
    messages lookups), so the page itself never needs more than the navigation.
    Should the layout fail for a 500/503, ``minimal_error.html`` (no layout, no
    URLs) is answered instead and the failure logged.
    """
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    if request.path_info.startswith(AdminLanguageMiddleware.PREFIXES):
        # The admin speaks each editor's language, its refusals too (the middleware
        # activated it; a German "Zugriff verweigert" reached English editors).
        language = translation.get_language() or language
    with translation.override(language):
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "nav": _navigation(use_database=use_database),
            "use_database": use_database,
            **(context or {}),
        }
        try:
            html = render_to_string(template, context)
        except Exception:
            if use_database:
                raise  # 4xx pages: a broken layout is a bug like any other (handler500)
            # The last answer of a failing request must not fail itself.
            logger.exception("error page %s could not be rendered", template)
            html = render_to_string("minimal_error.html", {**context, "status": status})
    response = HttpResponse(html, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: a malformed request (also a foreign Host header)."""
    return error_page(request, status=400, template="400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403."""
    return error_page(request, status=403, template="403.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without (or with an old) security token."""
    return error_page(request, status=403, template="403.html", context={"csrf_failure": True})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404."""
    return error_page(request, status=404, template="404.html")


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The calm 503 while the database is down, with ``Retry-After``; no database query."""
    response = error_page(request, status=503, template="503.html", use_database=False)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: any uncaught error, in a view or in a middleware.

    An unreachable database anywhere in the request (also outside
    ``DatabaseUnavailableMiddleware``, e.g. a session save) is the calm 503.
    Never touches the database.
    """
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        logger.error("database unavailable: %s", exception.__class__.__name__)
        return service_unavailable(request)
    # The request ID (newsroom.observability) lets a reader or editor name this error; the
    # log line and the Sentry event carry the same ID.
    return error_page(
        request,
        status=500,
        template="500.html",
        use_database=False,
        context={"request_id": getattr(request, "request_id", None)},
    )
