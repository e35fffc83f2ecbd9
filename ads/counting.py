"""Buffered impression and click counters in Django's cache.

A page view never writes to PostgreSQL. Each count is a ``cache.incr`` on a key
per kind, creative, slot and (Berlin) day::

    ads:n:<i|c|v|ii|ic>:<creative_id>:<slot_id>:<YYYY-MM-DD>[:<section_id>]

A key is *dirty* while its value is above zero. Dirty keys are listed in a
registry so the flush does not have to guess them: the registry is an
append-only log (``ads:reg:seq`` is a counter, ``ads:reg:<n>`` holds one key
name). Whoever moves a counter from 0 to a positive value appends it — the writer
on its ``0 → n`` increment, the flush when something arrived while it was taking
a key. ``ads.services.ad_counts_flush`` reads the log since its last run, takes
each counter with an atomic decrement of exactly the value it read (increments
that race with it stay in the key), and adds the totals to ``DailyStat`` with
``F()`` updates in one transaction. One flush runs at a time (a cache lock).

What a crash can lose is bounded: counts still in the cache (at most one flush
interval, e.g. one minute, if the cache itself is lost) or one batch taken but
not yet committed. A failed database write puts the batch back.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from core.cache import counter_cache

logger = logging.getLogger(__name__)

IMPRESSION = "i"
CLICK = "c"
VIEWABLE = "v"  # an impression at least half on screen for a second (ads.js beacon)
INVALID_IMPRESSION = "ii"  # bots, data-center addresses, replays (ads.traffic)
INVALID_CLICK = "ic"
# Which DailyStat column each kind adds to.
COLUMNS = {
    IMPRESSION: "impressions",
    CLICK: "clicks",
    VIEWABLE: "viewable_impressions",
    INVALID_IMPRESSION: "invalid_impressions",
    INVALID_CLICK: "invalid_clicks",
}
COUNTER_TIMEOUT = 3 * 24 * 60 * 60  # outlives any sane flush interval by far
SEQ_KEY = "ads:reg:seq"
DONE_KEY = "ads:reg:done"
LOCK_KEY = "ads:flush:lock"
STUCK_KEY = "ads:reg:stuck"

# Obvious robots and previews. Real ad servers use IAB lists; this catches the
# crawlers, monitors, link previews and scripted clients that make up most noise.
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|curl|wget|python|httpx|aiohttp|okhttp|java/|"
    r"go-http-client|libwww|headless|phantomjs|lighthouse|pagespeed|pingdom|uptime|"
    r"monitor|facebookexternalhit|whatsapp|preview|scrapy|feedfetcher",
    re.IGNORECASE,
)


def is_bot(request: HttpRequest) -> bool:
    """True for requests that must not count: robots, empty user agents, prefetches."""
    agent = request.headers.get("User-Agent", "").strip()
    if not agent or BOT_PATTERN.search(agent):
        return True
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


@dataclass(frozen=True)
class CounterKey:
    kind: str
    creative_id: int
    slot_id: int
    day: dt.date
    section_id: int = 0  # the page's section (0: a page without one, e.g. home)

    def __str__(self) -> str:
        key = f"ads:n:{self.kind}:{self.creative_id}:{self.slot_id}:{self.day.isoformat()}"
        return f"{key}:{self.section_id}" if self.section_id else key

    @classmethod
    def parse(cls, key: str) -> CounterKey | None:
        parts = key.split(":")
        try:
            if len(parts) == 6:
                parts.append("0")
            _ads, _n, kind, creative_id, slot_id, day, section_id = parts
            return cls(
                kind,
                int(creative_id),
                int(slot_id),
                dt.date.fromisoformat(day),
                int(section_id),
            )
        except ValueError:
            return None


def _incr(key: str, delta: int) -> int:
    """``cache.incr`` that creates the key when it is missing (or evicted)."""
    try:
        return counter_cache().incr(key, delta)
    except ValueError:
        counter_cache().add(key, 0, COUNTER_TIMEOUT)  # add never overwrites a racing writer's value
        return counter_cache().incr(key, delta)


def _register(key: str) -> None:
    index = _incr(SEQ_KEY, 1)
    counter_cache().set(f"ads:reg:{index}", key, COUNTER_TIMEOUT)


def count(
    kind: str,
    *,
    creative_id: int,
    slot_id: int,
    n: int = 1,
    day: dt.date | None = None,
    section_id: int | None = None,
) -> None:
    """Add ``n`` to a buffered counter. Side effects: cache only, never the database."""
    key = str(CounterKey(kind, creative_id, slot_id, day or timezone.localdate(), section_id or 0))
    value = _incr(key, n)
    if value == n:  # this call moved the counter from 0 to positive: it is now dirty
        _register(key)


def _count_safely(kind: str, creative_id: int, slot_id: int, section_id: int | None = None) -> None:
    try:
        count(kind, creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    except Exception:  # noqa: BLE001 - a cache outage loses counts, never a reader's page
        logger.warning("ads: could not count %s", kind, exc_info=True)


def count_impression(*, creative_id: int, slot_id: int, section_id: int | None = None) -> None:
    """Count one impression in the buffer; a cache outage loses it but never raises."""
    _count_safely(IMPRESSION, creative_id, slot_id, section_id)


def count_click(*, creative_id: int, slot_id: int, section_id: int | None = None) -> None:
    """Count one click in the buffer; a cache outage loses it but never raises."""
    _count_safely(CLICK, creative_id, slot_id, section_id)


def count_valid(
    kind: str, *, creative_id: int, slot_id: int, section_id: int | None = None
) -> None:
    """Count one valid impression or click (``kind``) in the buffer; never raises."""
    _count_safely(kind, creative_id, slot_id, section_id)


def count_invalid(
    kind: str, *, creative_id: int, slot_id: int, section_id: int | None = None
) -> None:
    """Count invalid traffic of ``kind`` (impression or click) apart; never raises."""
    invalid = INVALID_CLICK if kind == CLICK else INVALID_IMPRESSION
    _count_safely(invalid, creative_id, slot_id, section_id)


def count_viewable(*, creative_id: int, slot_id: int, section_id: int | None = None) -> None:
    """Count one viewable impression in the buffer; never raises."""
    _count_safely(VIEWABLE, creative_id, slot_id, section_id)


def dirty_keys() -> tuple[set[str], int]:
    """The registered counter keys since the last flush, and the log position read up to."""
    done = counter_cache().get(DONE_KEY, 0)
    high = counter_cache().get(SEQ_KEY, 0)
    if high <= done:
        return set(), high
    names = [f"ads:reg:{i}" for i in range(done + 1, high + 1)]
    found = counter_cache().get_many(names)
    missing = [
        i for i, name in zip(range(done + 1, high + 1), names, strict=True) if name not in found
    ]
    if missing:
        # A writer may sit between taking its log index and writing the entry:
        # stop before the gap and read on from there next time. A gap that is
        # still there on the next flush was evicted and is skipped.
        first = missing[0]
        if counter_cache().get(STUCK_KEY) != first:
            counter_cache().set(STUCK_KEY, first, COUNTER_TIMEOUT)
            high = first - 1
    return set(found.values()), high


def pending() -> dict[CounterKey, int]:
    """Buffered counts not yet flushed (read only; for ``--dry-run`` and caps)."""
    keys, _high = dirty_keys()
    values = counter_cache().get_many(list(keys))
    result = {}
    for key, value in values.items():
        parsed = CounterKey.parse(key)
        if parsed and value:
            result[parsed] = value
    return result


def take(keys: set[str]) -> dict[CounterKey, int]:
    """Atomically take the current value of each key (get, then decrement by exactly that).

    Increments that arrive between the read and the decrement stay in the key;
    if any did, the key is registered again so the next flush picks them up.
    Call only while holding the flush lock.
    """
    taken: dict[CounterKey, int] = {}
    values = counter_cache().get_many(list(keys))
    for key, value in values.items():
        parsed = CounterKey.parse(key)
        if not parsed or not value or value < 0:
            continue
        remaining = counter_cache().decr(key, value)
        taken[parsed] = taken.get(parsed, 0) + value
        if remaining > 0:
            _register(key)
    return taken


def give_back(taken: dict[CounterKey, int]) -> None:
    """Return a taken batch to the buffer (used when the database write failed)."""
    for key, value in taken.items():
        count(
            key.kind,
            creative_id=key.creative_id,
            slot_id=key.slot_id,
            n=value,
            day=key.day,
            section_id=key.section_id,
        )


def mark_done(high: int) -> None:
    counter_cache().set(DONE_KEY, high, None)


def acquire_lock(timeout: int = 300) -> bool:
    return counter_cache().add(LOCK_KEY, 1, timeout)


def release_lock() -> None:
    counter_cache().delete(LOCK_KEY)
