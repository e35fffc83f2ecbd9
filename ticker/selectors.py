"""Reads of live tickers for reader pages, each with a fixed query budget.

``ticker_index`` is what every page asks (is this article a ticker, is it running,
its latest entry for the LIVE teaser); it is cached and dropped by
``newsroom.purges`` on ``ticker_changed``. The ticker page and the update endpoint
read the entries themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Prefetch, QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator

from articles.models import Article, ImageRendition
from core import pagecache
from ticker.models import BreakingNews, Ticker, TickerEntry

logger = logging.getLogger(__name__)

INDEX_CACHE_KEY = "ticker:index"
BREAKING_CACHE_KEY = "ticker:breaking"
INDEX_CACHE_SECONDS = 300
# The update endpoint sends the entries changed most recently (new, corrected),
# plus every entry's id and version, so a page learns of removals too.
UPDATE_ENTRIES = 20
TEASER_WORDS = 24


@dataclass
class TickerPage:
    """What the ticker part of an article page shows."""

    ticker: Ticker
    entries: list[TickerEntry] = field(default_factory=list)

    @property
    def key_events(self) -> list[TickerEntry]:
        """The summary at the top: key events, oldest first (the story as it unfolded)."""
        return sorted((e for e in self.entries if e.key_event), key=lambda e: (e.time, e.pk))

    @property
    def closing(self) -> TickerEntry | None:
        return next((e for e in self.entries if e.closing), None)

    @property
    def latest(self) -> TickerEntry | None:
        return max(self.entries, key=lambda e: (e.time, e.pk), default=None)


def entry_version(entry: TickerEntry) -> str:
    """Changes whenever the entry's shown content changes (time, text, marks)."""
    return f"{int(entry.updated_at.timestamp() * 1000)}"


def entry_sort_key(entry: TickerEntry) -> str:
    """Readers' order as a string that sorts descending: pinned, then newest first."""
    return f"{int(entry.pinned)}{int(entry.time.timestamp()):012d}{entry.pk:012d}"


def entry_excerpt(entry: TickerEntry, words: int = TEASER_WORDS) -> str:
    """The entry as plain text, shortened (teasers)."""
    return Truncator(strip_tags(entry.body).strip()).words(words, truncate=" …")


def _entries_query() -> QuerySet[TickerEntry]:
    return (
        TickerEntry.objects.published()
        .select_related("image")
        .prefetch_related(
            Prefetch("image__renditions", queryset=ImageRendition.objects.order_by("width"))
        )
    )


def ticker_page(*, article: Article) -> TickerPage | None:
    """The ticker of ``article`` with its published entries in readers' order, or None.

    Budget: none when the article is not a ticker (``ticker_index``, cached), else
    three queries (ticker, entries with images, renditions).
    """
    if article.pk not in ticker_index()["ids"]:
        return None
    ticker = Ticker.objects.filter(pk=article.pk).first()
    if ticker is None:
        return None
    entries = list(_entries_query().filter(ticker=ticker))
    return TickerPage(ticker=ticker, entries=entries)


def ticker_updates(*, article_id: int) -> dict[str, Any] | None:
    """The update endpoint's data: state, every entry's id and version, the entries
    changed most recently, the key events. None if the article is no visible ticker.

    Budget: four queries (ticker of a published article, versions, entries, renditions).
    """
    ticker = (
        Ticker.objects.filter(pk=article_id, article__in=Article.objects.published())
        .select_related("article")
        .first()
    )
    if ticker is None:
        return None
    versions = list(
        TickerEntry.objects.published()
        .filter(ticker=ticker)
        .order_by("-pinned", "-time", "-id")
        .values_list("pk", "updated_at", "key_event")
    )
    recent_ids = [pk for pk, _updated, _key in sorted(versions, key=lambda v: v[1], reverse=True)][
        :UPDATE_ENTRIES
    ]
    key_ids = [pk for pk, _updated, key in versions if key]
    wanted = set(recent_ids) | set(key_ids)
    entries = {e.pk: e for e in _entries_query().filter(pk__in=wanted)} if wanted else {}
    return {
        "ticker": ticker,
        "versions": [(pk, f"{int(updated.timestamp() * 1000)}") for pk, updated, _k in versions],
        "recent": [entries[pk] for pk in recent_ids if pk in entries],
        "key_events": sorted(
            (entries[pk] for pk in key_ids if pk in entries), key=lambda e: (e.time, e.pk)
        ),
    }


def ticker_index() -> dict[str, Any]:
    """Every ticker's article id, and for the running ones their latest entry (time and
    excerpt) for the LIVE teasers. Two queries, cached (``forget_ticker_index``)."""

    def load() -> dict[str, Any]:
        tickers = list(Ticker.objects.values_list("pk", "ended_at"))
        running = [pk for pk, ended in tickers if ended is None]
        latest = (
            TickerEntry.objects.published()
            .filter(ticker_id__in=running)
            .order_by("ticker_id", "-time", "-id")
            .distinct("ticker_id")
            .only("ticker_id", "time", "body")
        )
        live: dict[int, dict[str, Any]] = {pk: {"time": None, "text": ""} for pk in running}
        for entry in latest:
            live[entry.ticker_id] = {"time": entry.time, "text": entry_excerpt(entry)}
        return {"ids": frozenset(pk for pk, _ended in tickers), "live": live}

    index: dict[str, Any] = _cached(
        INDEX_CACHE_KEY, load, empty={"ids": frozenset(), "live": {}}, what="ticker index"
    )
    return index


def forget_ticker_index() -> None:
    """Drop the cached index (``newsroom.purges`` on ``ticker_changed``). Never raises."""
    try:
        cache.delete(INDEX_CACHE_KEY)
    except Exception:  # noqa: BLE001 - it expires within minutes anyway
        logger.warning("ticker index: could not drop the cached copy", exc_info=True)


def breaking_news(*, use_database: bool = True) -> BreakingNews | None:
    """The active breaking-news banner, or None. One query, cached
    (``forget_breaking_news`` on ``breaking_news_changed``)."""

    def load() -> BreakingNews | bool:
        return BreakingNews.objects.filter(active=True).first() or False

    if not use_database:
        try:
            return cache.get(BREAKING_CACHE_KEY) or None
        except Exception:  # noqa: BLE001 - an error page must not fail
            return None
    return _cached(BREAKING_CACHE_KEY, load, empty=False, what="breaking news") or None


def _cached(key: str, load: Callable[[], Any], *, empty: Any, what: str) -> Any:
    """``load()`` through the cache. Every page shows the banner and the LIVE teasers
    (error pages too), so neither may fail one: with the cache down the database is read,
    with the database down (an outage, a calm 503 page) ``empty`` is shown uncached.
    Held in process memory while no purge happened (``core.pagecache.remembered``)."""
    outage: list[bool] = []

    def shared() -> Any:
        try:
            found = cache.get(key)
        except Exception:  # noqa: BLE001 - cache down: read the database, never a 500
            logger.warning("%s: cache unavailable", what, exc_info=True)
            found = None
        if found is not None:
            return found
        try:
            found = load()
        except DatabaseError:
            logger.warning("%s: database unavailable", what, exc_info=True)
            outage.append(True)
            return empty
        try:
            cache.set(key, found, INDEX_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("%s: could not cache", what, exc_info=True)
        return found

    return pagecache.remembered(key, INDEX_CACHE_SECONDS, shared, keep=lambda _v: not outage)
    try:
        found = load()
    except DatabaseError:
        logger.warning("%s: database unavailable", what, exc_info=True)
        return empty
    try:
        cache.set(key, found, INDEX_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("%s: could not cache", what, exc_info=True)
    return found


def forget_breaking_news() -> None:
    """Drop the cached banner (``newsroom.purges``). Never raises."""
    try:
        cache.delete(BREAKING_CACHE_KEY)
    except Exception:  # noqa: BLE001
        logger.warning("breaking news: could not drop the cached copy", exc_info=True)
