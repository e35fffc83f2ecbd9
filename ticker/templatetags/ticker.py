"""Template tags of live tickers: the ticker part of an article page, the LIVE teaser,
the breaking-news banner. No hidden queries: each reads a selector (cached where
every page asks)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ticker import selectors
from ticker.models import TickerEntry

register = template.Library()

STRUCTURED_UPDATES = 50  # entries listed as liveBlogUpdate (the newest)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}" if path.startswith("/") else path


@register.simple_tag
def ticker_page_for(article: Any) -> selectors.TickerPage | None:
    """``{% ticker_page_for article as live %}``: the ticker of an article page, or None."""
    if article is None or not getattr(article, "pk", None):
        return None
    # Asked twice per page (the JSON-LD in <head>, the entries in the body): read once.
    if not hasattr(article, "_ticker_page"):
        article._ticker_page = selectors.ticker_page(article=article)
    found: selectors.TickerPage | None = article._ticker_page
    return found


@register.simple_tag
def ticker_live(article: Any) -> dict | None:
    """``{% ticker_live article as live %}``: a running ticker's latest entry
    (``time``, ``text``) for its teaser, or None. No query (cached index)."""
    live: dict | None = selectors.ticker_index()["live"].get(getattr(article, "pk", None))
    return live


@register.simple_tag
def ticker_settings() -> dict:
    """Polling intervals and the ad interval of ticker pages."""
    return {
        "poll": settings.TICKER_POLL_SECONDS,
        "poll_hidden": settings.TICKER_HIDDEN_POLL_SECONDS,
        "ad_interval": settings.TICKER_AD_INTERVAL,
    }


@register.filter
def entry_version(entry: TickerEntry) -> str:
    return selectors.entry_version(entry)


@register.filter
def entry_sort_key(entry: TickerEntry) -> str:
    return selectors.entry_sort_key(entry)


@register.filter
def ad_after(counter: int, interval: int) -> bool:
    """True after every ``interval``-th entry (never with an interval of 0)."""
    return bool(interval) and counter % interval == 0


@register.inclusion_tag("ticker/partials/breaking_news.html", takes_context=True)
def breaking_news_banner(context: Any) -> dict:
    """The breaking-news banner of every page (empty without one). No query (cached).
    Error pages rendered without the database (``use_database`` False in their context,
    ``core.views.error_page``) show it only from the cache, never query."""
    return {"banner": selectors.breaking_news(use_database=context.get("use_database", True))}


@register.simple_tag
def ticker_structured_data(article: Any) -> dict | None:
    """``{% ticker_structured_data article as live_ld %}``: what turns the article's
    NewsArticle JSON-LD into a LiveBlogPosting (Google's live coverage), or None.

    Coverage starts with the ticker and ends at its closing entry; a running ticker
    announces its end a day after its latest entry (Google asks for an end time).
    ``liveBlogUpdate`` lists the newest entries as BlogPosting.
    """
    live = ticker_page_for(article)
    if live is None:
        return None
    ticker = live.ticker
    latest = live.latest
    end = ticker.ended_at or ((latest.time if latest else ticker.started_at) + timedelta(days=1))
    url = article.canonical_url or _absolute(article.get_absolute_url())
    newest = sorted(live.entries, key=lambda e: (e.time, e.pk), reverse=True)
    updates = []
    for entry in newest[:STRUCTURED_UPDATES]:
        text = strip_tags(entry.body).strip()
        update: dict[str, Any] = {
            "@type": "BlogPosting",
            "headline": Truncator(text).chars(110),
            "articleBody": text,
            "datePublished": entry.time.isoformat(),
            "dateModified": (entry.corrected_at or entry.time).isoformat(),
            "url": f"{url}#eintrag-{entry.pk}",
        }
        if entry.image is not None:
            update["image"] = _absolute(entry.image.file.url)
        updates.append(update)
    data: dict[str, Any] = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": ticker.started_at.isoformat(),
        "coverageEndTime": end.isoformat(),
        "liveBlogUpdate": updates,
    }
    if latest is not None:
        data["dateModified"] = max(
            (e.corrected_at or e.time for e in live.entries), default=latest.time
        ).isoformat()
    return data
