"""Cached fragments of reader pages, kept correct by the page cache's tags.

A fragment (the related teasers, the comment thread, the JSON-LD of an article page)
is stored with the *tags* it depends on and the versions those tags had when it was
built, exactly like a page in ``core.pagecache``. A read compares the stored versions
with the current ones, so the one purge that makes a page stale
(``core.pagecache.invalidate``, called by ``newsroom.purges`` on commit) makes its
fragments stale too: there is no second invalidation path to forget.

The tags of every fragment a page used (built or read) are added to the page's own
tags when the page cache stores it (``pagecache.collect_tags``), so a page is never fresher
than its fragments. Fragments also end with ``PAGE_CACHE_SECONDS`` and at the next
scheduled go-live or expiry, as pages do.

``FRAGMENT_CACHE_ENABLED=0`` turns every fragment cache off (``make bench``'s fully
cold figures); ``PAGE_CACHE_ENABLED=0`` leaves them on. Cache errors mean "build it".
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache

from core import pagecache

logger = logging.getLogger(__name__)

FRAGMENT_KEY = "fragment:{}"


def enabled() -> bool:
    """Whether fragment caches are on (``FRAGMENT_CACHE_ENABLED``, default on)."""
    return bool(getattr(settings, "FRAGMENT_CACHE_ENABLED", True))


def _key(name: str, parts: Iterable[Any]) -> str:
    raw = repr((pagecache.render_fingerprint(), name, *parts))
    return FRAGMENT_KEY.format(hashlib.sha256(raw.encode()).hexdigest())


def cached(
    name: str,
    *parts: Any,
    build: Callable[[], tuple[Any, Iterable[str]]],
    keep: Callable[[Any], bool] = lambda _value: True,
) -> tuple[Any, tuple[str, ...]]:
    """The fragment ``name`` for ``parts`` (ids, language) and the tags it depends on.

    ``build()`` returns the value (picklable, usually HTML; or data such as an article
    page's rows) and its tags; it runs when there is no entry, the entry is past its
    time, or one of its tags was invalidated since. ``"site"`` is always among the tags.
    A built value ``keep`` refuses is served, not stored (a page not found has no tag
    whose purge would announce it). Held in process memory too while the
    epoch is unchanged (``pagecache.process_memo``): a warm read usually costs no round
    trip. Side effects: cache reads and, after a build, one cache write (none when a
    purge happened during the build); never raises for a cache outage.
    """
    if not enabled():
        value, tags = build()
        return value, tuple(dict.fromkeys(("site", *tags)))
    key = _key(name, parts)
    ttl = getattr(settings, "PAGE_CACHE_SECONDS", 300)
    try:
        # Process memory first: valid while no purge happened anywhere (the epoch).
        epoch = pagecache.current_epoch()
        if epoch is not None:
            held = pagecache.process_memo.get(key, epoch)
            if held is not pagecache.MISSING and time.time() < held["expires"]:
                return held["value"], held["tags"]
        entry = cache.get(key)
        if (
            entry is not None
            and time.time() < entry["expires"]
            and pagecache.tag_versions(entry["tags"]) == entry["versions"]
        ):
            if epoch is not None:  # read before the check: never newer than it
                pagecache.process_memo.put(key, epoch, time.monotonic() + ttl, entry)
            return entry["value"], entry["tags"]
        # Every purge replaces the epoch: compared after the build, it tells whether one
        # happened meanwhile (the tag versions are read after the build, when the tags
        # are known, and would otherwise pass a value built from the old rows as fresh).
        started = cache.get(pagecache.EPOCH_KEY)
    except Exception:  # noqa: BLE001 - cache down: build it
        logger.warning("fragment cache unavailable", exc_info=True)
        value, tags = build()
        return value, tuple(dict.fromkeys(("site", *tags)))
    value, built_tags = build()
    tags = tuple(dict.fromkeys(("site", *built_tags)))
    if not keep(value):
        return value, tags
    try:
        if cache.get(pagecache.EPOCH_KEY) != started:
            return value, tags  # purged while it was built: served, not stored
        entry = {
            "value": value,
            "tags": tags,
            "versions": pagecache.tag_versions(tags),
            "expires": min(time.time() + ttl, pagecache.next_visibility_change()),
        }
        cache.set(key, entry, timeout=ttl)
        if epoch is not None:  # read before the build: never newer than it
            pagecache.process_memo.put(key, epoch, time.monotonic() + ttl, entry)
    except Exception:  # noqa: BLE001 - cache down: served unstored
        logger.warning("fragment cache: could not store %s", name, exc_info=True)
    return value, tags
