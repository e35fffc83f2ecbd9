"""The update endpoint a ticker page polls: one small, cacheable JSON answer.

It is the same for every reader (public Cache-Control, a strong ETag, 304 for
``If-None-Match``) and is stored in the page cache under ``"article:<id>"``, so
thousands of open tabs cost one render per change (``newsroom.purges`` drops it
when an entry comes, changes or goes).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from core.caching import cache_for_readers
from core.pagecache import mark_cacheable
from ticker import selectors


def updates(request: HttpRequest, pk: int) -> HttpResponse:
    """The update endpoint; shared caches (nginx, a CDN) may keep it no longer than
    browsers: they learn of no purge, and a ticker must not lag behind by minutes."""
    response: HttpResponse = _updates(request, pk)
    if response.has_header("Cache-Control") and response.status_code in (200, 304):
        patch_cache_control(response, s_maxage=settings.TICKER_UPDATE_MAX_AGE)
    return response


@cache_for_readers(max_age=settings.TICKER_UPDATE_MAX_AGE)
def _updates(request: HttpRequest, pk: int) -> HttpResponse:
    """``{"running", "entries": [[id, version], …] in readers' order, "html": {id: html}
    of the entries changed last, "summary": html, "state": html}``."""
    data = selectors.ticker_updates(article_id=pk)
    if data is None:
        raise Http404
    ticker = data["ticker"]
    article = ticker.article
    if article.language != get_language():
        raise Http404  # one URL per ticker: under its article's language prefix
    context = {"article": article, "ticker": ticker}
    body = {
        "running": ticker.is_running,
        "entries": data["versions"],
        "html": {
            str(entry.pk): render_to_string(
                "ticker/partials/entry.html", {**context, "entry": entry}
            )
            for entry in data["recent"]
        },
        "summary": render_to_string(
            "ticker/partials/summary.html", {**context, "key_events": data["key_events"]}
        ),
        "state": render_to_string("ticker/partials/state.html", context),
    }
    response = JsonResponse(body)
    # No Last-Modified: a removed entry changes the answer but no timestamp; the
    # ETag (from the bytes) tells every change.
    return mark_cacheable(response, f"article:{pk}")
