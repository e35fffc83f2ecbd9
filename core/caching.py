"""HTTP caching for reader pages: one answer per URL for every anonymous reader.

``cache_for_readers`` marks a view's successful GET answers as publicly
cacheable for a short time (Django's cache middleware, nginx or a CDN may keep
them), adds a strong ``ETag`` computed from the bytes and answers conditional
requests (``If-None-Match``/``If-Modified-Since``) with 304. Reader pages must
therefore not contain per-user content: no CSRF token, no user names, no
nonces. Per-reader bits (comment forms, ...) are loaded separately.

``LanguageFromURLVaryMiddleware`` removes ``Accept-Language`` from ``Vary`` on
those answers. ``LocaleMiddleware`` adds it to every URL without a language
prefix, but with ``i18n_patterns(prefix_default_language=False)`` the language
of a reader page is decided by its URL alone (no prefix = German, ``/en/`` =
English; ``LocaleMiddleware`` never consults the header for them), so varying
on the header would only split caches into one copy per browser language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from core.pagecache import mark_cacheable

# Short browser lifetime, longer for shared caches, and stale copies may be
# served for a while when the origin is slow or down.
READER_MAX_AGE = 60
READER_S_MAXAGE = 300
READER_STALE_WHILE_REVALIDATE = 600
READER_STALE_IF_ERROR = 86400

_LANGUAGE_FROM_URL = "_newsroom_language_from_url"

ViewFunc = Callable[..., HttpResponse]


def mark_language_from_url(response: HttpResponse) -> HttpResponse:
    """Flag a response whose language comes from its URL (see the module docstring)."""
    setattr(response, _LANGUAGE_FROM_URL, True)
    return response


def make_public(response: HttpResponse, *, max_age: int = READER_MAX_AGE) -> HttpResponse:
    """Add the public Cache-Control header and a strong ETag to a 200/301 answer."""
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=max(max_age, READER_S_MAXAGE),
        stale_while_revalidate=READER_STALE_WHILE_REVALIDATE,
        stale_if_error=READER_STALE_IF_ERROR,
    )
    if response.status_code == 200 and not response.streaming and not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    return response


def cache_for_readers(view: ViewFunc | None = None, *, max_age: int = READER_MAX_AGE) -> Any:
    """View decorator: public caching + ETag/Last-Modified + 304 for anonymous reader pages.

    Only GET/HEAD answers with status 200 or 301 are made public; anything
    that already carries Cache-Control (e.g. ``never_cache`` previews) is left
    alone. The view may set ``Last-Modified`` itself.
    """

    def decorator(view_func: ViewFunc) -> ViewFunc:
        @wraps(view_func)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view_func(request, *args, **kwargs)
            mark_language_from_url(response)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                request.method not in ("GET", "HEAD")
                or response.status_code not in (200, 301)
                or response.has_header("Cache-Control")
                or response.cookies
            ):
                return response
            make_public(response, max_age=max_age)
            if response.status_code != 200:
                return response
            if getattr(response, "page_cache_tags", None) is None:
                # Opt in to the shared page cache. A page that names no finer tags shows
                # articles in ways not tracked one by one: "articles" is invalidated on any
                # article change ("site", always added, on any change at all).
                mark_cacheable(response, "articles")
            # Given a response, Django returns it or a 304/412, never None (the stubs say Optional).
            conditional: HttpResponse = get_conditional_response(  # type: ignore[assignment]
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
            return mark_language_from_url(conditional)

        return wrapped

    return decorator(view) if view is not None else decorator


class LanguageFromURLVaryMiddleware:
    """Drop ``Vary: Accept-Language`` from answers flagged by ``cache_for_readers``.

    Must sit *above* ``LocaleMiddleware`` in ``MIDDLEWARE`` so that it sees
    the response after ``LocaleMiddleware`` patched it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, _LANGUAGE_FROM_URL, False) and response.has_header("Vary"):
            kept = [
                value.strip()
                for value in response["Vary"].split(",")
                if value.strip() and value.strip().lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response
