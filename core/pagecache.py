"""A shared cache for anonymous reader pages.

How it works:

* Views opt in: ``mark_cacheable(response, "site", f"article:{pk}")`` names the
  *tags* a page depends on. Nothing else is ever stored.
* ``ReaderPageCacheMiddleware`` answers anonymous ``GET``/``HEAD`` requests (no
  session or messages cookie) from the cache when the entry is fresh: not older
  than ``PAGE_CACHE_SECONDS``, not past the next scheduled go-live or expiry of
  any article (asked through ``register_expiry_source``), and built with the current version of each of its tags.
* ``invalidate("site")`` / ``invalidate("article:7")`` bumps tag versions; it is
  called from signal handlers wired in ``NewsroomConfig.ready()`` when content,
  comments or ads change. Every app server sees the bump (shared Redis).
* Stampede protection: when a hot page goes stale, one request (the holder of a
  short lock) renders it while the others keep getting the stale copy; on a cold
  miss the others wait briefly for the first render.
* Faults: cache errors mean "no cache" (pages are rendered), and when rendering
  fails with a 5xx (e.g. PostgreSQL down) a stale copy is served if there is one.

The middleware is the outermost one: a hit skips every other middleware. An
entry keeps the final headers all the others added (security headers, CSP,
Vary), so a hit answers exactly like the render did. The scheme is part of the
key, so plain-HTTP requests still get the HTTPS redirect.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from core import compression

logger = logging.getLogger(__name__)

TAG_KEY = "pagecache:tag:{}"
ENTRY_KEY = "pagecache:page:{}"
# The Redis keys of an entry's tags, so a hit reads entry and versions in one round trip.
DEPENDENCIES_KEY = "pagecache:deps:{}"
LOCK_KEY = "pagecache:lock:{}"
NEXT_CHANGE_KEY = "pagecache:next-visibility-change"
# Replaced by every invalidation together with the tags (one MSET): while it holds the
# value an entry in process memory was checked under, no tag has changed since.
EPOCH_KEY = "pagecache:epoch"
# Until this Unix time, pages and fragments are filled from the primary database: right
# after an invalidation a lagging replica could still hold the old rows (issue #15, 3).
PRIMARY_UNTIL_KEY = "pagecache:fill-from-primary-until"
# Headers never replayed from the cache (per response or per request).
UNSTORED_HEADERS = {"set-cookie", "x-page-cache", "content-length", "date"}
LOCAL_ENTRIES = 256  # per process; each hit still checks the shared tag versions

_REQUEST_TAGS = "_newsroom_page_cache_tags"

SKIP_PREFIXES = ("/admin/", "/ckeditor/", "/static/", "/media/", "/healthz")


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def mark_cacheable(response: HttpResponse, *tags: str) -> HttpResponse:
    """Let the page cache store ``response`` under ``tags`` (plus ``"site"``)."""
    response.page_cache_tags = ("site", *tags)  # type: ignore[attr-defined]  # our marker
    # The same for every reader, no secrets: it may be gzip-compressed (core.compression).
    return compression.mark_public(response)


def collect_tags(request: HttpRequest | None, tags: Iterable[str]) -> None:
    """Add ``tags`` to the page being rendered for ``request``: the tags of a fragment
    it used (``core.fragments``). Stored with the page. Side effect: on ``request`` only."""
    if request is None:
        return
    known: dict[str, None] = getattr(request, _REQUEST_TAGS, None) or {}
    known.update(dict.fromkeys(tags))
    setattr(request, _REQUEST_TAGS, known)


def collected_tags(request: HttpRequest) -> tuple[str, ...]:
    """The tags ``collect_tags`` gathered for ``request``'s page."""
    return tuple(getattr(request, _REQUEST_TAGS, None) or ())


def invalidate(*tags: str) -> None:
    """Make every cached page that depends on one of ``tags`` stale. Never raises."""
    token = time.time_ns()
    window = _setting("DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS", 10)
    try:
        versions = {TAG_KEY.format(tag): token for tag in tags}
        # Entries are rebuilt from the primary for a while (see ``fills_from_primary``).
        primary_until = (PRIMARY_UNTIL_KEY, time.time() + window, max(int(window), 1))
        write = getattr(cache, "write", None)
        if write is not None:  # Redis: one round trip
            write(
                [
                    *((key, token, None) for key in versions),
                    (EPOCH_KEY, token, None),
                    primary_until,
                ],
                delete=(NEXT_CHANGE_KEY,),
            )
        else:
            cache.set_many({**versions, EPOCH_KEY: token}, timeout=None)
            cache.set(primary_until[0], primary_until[1], timeout=primary_until[2])
            cache.delete(NEXT_CHANGE_KEY)
        _epoch_replaced()
    except Exception:  # noqa: BLE001 - a cache outage must not break a write
        logger.warning("page cache: could not invalidate %s", tags, exc_info=True)


def replace_epoch() -> None:
    """Tell every process that something cached changed without a page tag (the ads'
    eligible sets after a count flush): their memos (``remembered``) and pages in
    memory are checked again. Part of every ``invalidate``. Never raises."""
    try:
        cache.set(EPOCH_KEY, time.time_ns(), timeout=None)
        _epoch_replaced()
    except Exception:  # noqa: BLE001 - a cache outage must not break a write
        logger.warning("page cache: could not replace the epoch", exc_info=True)


# The epoch one request works with: read on first use, then held until the request
# ends, so a page is built from one consistent state and its dozen memo reads cost one
# poll of the tracking connection (about 15 µs each), not twelve. ``None``: no request
# (tasks, the shell: every read polls). A purge by this process reads it again.
_UNREAD = b""
_request_epoch: ContextVar[bytes | None] = ContextVar("request_epoch", default=None)


@receiver(request_started)
def _hold_epoch_per_request(**kwargs: Any) -> None:
    _request_epoch.set(_UNREAD)


@receiver(request_finished)
def _release_epoch(**kwargs: Any) -> None:
    _request_epoch.set(None)


def _epoch_replaced() -> None:
    """This process replaced the epoch: its next read asks Redis (not the push, which
    may still be on its way), and the current request reads it again."""
    tracked = getattr(cache, "tracked", None)
    if tracked is not None:
        tracked(EPOCH_KEY).expire()
    if _request_epoch.get() is not None:
        _request_epoch.set(_UNREAD)


def current_epoch() -> bytes | None:
    """The epoch as this process knows it: with Redis a tracked key (``core.cache``),
    so usually no round trip, and within one request the value it first read (a purge
    elsewhere during the request is seen by the next one; one by this process at once).
    ``None`` when not known (no Redis, no connection, no epoch yet): then nothing is
    trusted from process memory."""
    held = _request_epoch.get()
    if held:
        return held
    value = _read_epoch()
    if held is not None and value is not None:
        _request_epoch.set(value)
    return value


def _read_epoch() -> bytes | None:
    tracked = getattr(cache, "tracked", None)
    if tracked is None:
        return None
    epoch = tracked(EPOCH_KEY)
    value: bytes | None = epoch.get()
    if value is None and epoch.connected:  # none yet (a new or flushed Redis): start one
        try:
            cache.add(EPOCH_KEY, time.time_ns(), timeout=None)
        except Exception:  # noqa: BLE001 - cache down: not known
            logger.warning("page cache: could not start the epoch", exc_info=True)
    return value  # a new epoch is pushed to this process; used from the next call


MISSING = object()  # what ``process_memo.get`` answers for "not held"


class _ProcessMemo:
    """Values in this process's memory, each valid while the epoch it was read under
    is current and until its deadline. A small LRU; thread-safe."""

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[str, tuple[bytes, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, epoch: bytes) -> Any:
        with self._lock:
            found = self._data.get(key)
            if found is None or found[0] != epoch or time.monotonic() >= found[1]:
                return MISSING
            self._data.move_to_end(key)
            return found[2]

    def put(self, key: str, epoch: bytes, deadline: float, value: Any) -> None:
        with self._lock:
            self._data[key] = (epoch, deadline, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


process_memo = _ProcessMemo(1024)


def remembered[T](
    key: str,
    seconds: float,
    load: Callable[[], T],
    *,
    keep: Callable[[T], bool] = lambda _value: True,
) -> T:
    """``load()``'s value, kept in this process's memory for up to ``seconds`` while the
    epoch is unchanged: for small shared caches read by every page (navigation, ads'
    eligible sets, the ticker index, fragments) whose purge replaces the epoch after
    dropping them (every ``invalidate`` does; ``replace_epoch`` otherwise). So a warm
    page reads them without a round trip, and a purge reaches every process at once.

    The value is shared by every request of the process: callers must not change it.
    Without a known epoch (no Redis) it is ``load()`` every time. ``keep(value)``
    false: not held (a stand-in shown during a database outage). Side effects: those
    of ``load()`` when it runs.
    """
    epoch = current_epoch()
    if epoch is not None:
        found = process_memo.get(key, epoch)
        if found is not MISSING:
            return found  # type: ignore[no-any-return]
    value = load()
    if epoch is not None and keep(value):  # read before load(): never newer than it
        process_memo.put(key, epoch, time.monotonic() + seconds, value)
    return value


def fills_from_primary() -> bool:
    """Whether an invalidation happened within ``DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS``:
    then reader pages read the primary (``core.db_router``), so a page rebuilt right
    after a publish cannot store a lagging replica's old rows as fresh. True when the
    cache cannot say (an outage): the primary is always right. One cache read."""
    try:
        until = cache.get(PRIMARY_UNTIL_KEY)
    except Exception:  # noqa: BLE001 - cache down: the safe answer
        return True
    return until is not None and time.time() < until


def tag_versions(tags: Iterable[str]) -> dict[str, Any]:
    """The current version of each of ``tags`` (a new one for a tag never seen or
    evicted). Cache reads, and a write for a missing tag; raises on a cache outage."""
    keys = {TAG_KEY.format(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        # An evicted tag gets a new version: entries built before are stale.
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found = cache.get_many(list(keys))
    return {keys[key]: value for key, value in found.items()}


class _LocalEntries:
    """A small per-process LRU of page entries.

    Saves fetching and unpickling the page body from the shared cache on every
    hit. Safe because freshness is still decided by the shared tag versions
    and the entry's own expiry, checked on every hit.
    """

    def __init__(self, size: int):
        self.size = size
        self._data: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is not None:
                self._data.move_to_end(key)
            return entry

    def put(self, key: str, entry: dict) -> None:
        with self._lock:
            self._data[key] = entry
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


local_entries = _LocalEntries(LOCAL_ENTRIES)


# Callables answering "when does visible content change next by itself?" (a
# scheduled go-live or an expiry) as an aware datetime or None. Filled by the apps
# that own such content (``ArticlesConfig.ready()``), so core imports no app.
class ExpirySource(Protocol):
    def __call__(self, *, at: datetime) -> datetime | None: ...


_expiry_sources: list[ExpirySource] = []


def register_expiry_source(source: ExpirySource) -> None:
    """Register ``source(at=now)``: the next time content becomes visible or hidden
    without a write (no signal fires then), or None. Cached pages expire at the
    earliest answer of all sources. Idempotent; call from ``AppConfig.ready()``."""
    if source not in _expiry_sources:
        _expiry_sources.append(source)


def next_visibility_change() -> float:
    """Unix time of the next scheduled go-live or expiry (cached briefly)."""
    value: float | None = cache.get(NEXT_CHANGE_KEY)
    if value is None:
        from django.utils import timezone

        now = timezone.now()
        candidates = [source(at=now) for source in _expiry_sources]
        times = [c.timestamp() for c in candidates if c is not None]
        value = min(times) if times else time.time() + 86400
        cache.set(NEXT_CHANGE_KEY, value, timeout=30)
    return value


# Settings shown on reader pages: part of the render fingerprint.
RENDERED_SETTINGS = (
    "SITE_URL",
    "SITE_NAME",
    "TWITTER_SITE",
    "TWITTER_CREATOR",
    "PUBLISHER_LOGO",
    "FULL_TEXT_FEEDS",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
    "MEDIA_URL",
)
_fingerprint: str | None = None


def render_fingerprint() -> str:
    """What the HTML of a page depends on besides the data: the templates of the
    project and of its apps (their content) and the settings pages show. Part of every
    page and fragment key, so a deploy that changes a template or such a setting never
    serves HTML rendered by the old one (entries of the old version simply expire).
    Computed once per process (a few ms: reading the template files) and again when a
    test changes a setting."""
    global _fingerprint  # noqa: PLW0603 - a per-process memo
    if _fingerprint is None:
        from pathlib import Path

        from django.apps import apps

        digest = hashlib.sha256()
        engines: list[dict[str, Any]] = settings.TEMPLATES
        folders = [Path(d) for engine in engines for d in engine.get("DIRS", ())]
        folders += [Path(app.path) / "templates" for app in apps.get_app_configs()]
        for folder in dict.fromkeys(folders):  # both engines read templates/
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                if not path.is_file():  # every template: .html, .jinja, .txt, .xml
                    continue
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
        for name in RENDERED_SETTINGS:
            digest.update(repr((name, getattr(settings, name, None))).encode())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


def forget_render_fingerprint(**kwargs: Any) -> None:
    """Compute the fingerprint again on next use (``setting_changed``, in tests)."""
    global _fingerprint  # noqa: PLW0603
    _fingerprint = None


def _entry_key(request: HttpRequest) -> str:
    scheme = "https" if request.is_secure() else "http"
    raw = f"{render_fingerprint()} {scheme}://{request.get_host()}{request.get_full_path()}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in {"GET", "HEAD"}:
        return False
    if request.path.startswith(SKIP_PREFIXES) or not _setting("PAGE_CACHE_ENABLED", True):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _is_storable(response: HttpResponse) -> bool:
    return (
        getattr(response, "page_cache_tags", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
    )


class ReaderPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _entry_key(request)
        try:
            entry = local_entries.get(key)
            if entry is not None and self._is_fresh(entry):
                return self._respond(request, entry, "HIT")
            epoch = current_epoch()
            entry, fresh = self._shared_entry(key)
            if fresh:
                assert entry is not None  # noqa: S101 - fresh implies an entry (narrows the type)
                if epoch is not None:
                    entry["checked_epoch"] = epoch  # read before the fetch: never too new
                local_entries.put(key, entry)
                return self._respond(request, entry, "HIT")
            holds_lock = cache.add(
                LOCK_KEY.format(key), 1, timeout=_setting("PAGE_CACHE_LOCK_SECONDS", 10)
            )
            if not holds_lock:
                if entry is not None:
                    return self._respond(request, entry, "STALE")
                waited = self._wait_for_entry(key)
                if waited is not None:
                    return self._respond(request, waited, "HIT")
        except Exception:  # noqa: BLE001 - cache down: render without it
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)

        try:
            response = self.get_response(request)
            if response.status_code >= 500 and entry is not None:
                return self._respond(request, entry, "STALE")
            if _is_storable(response):
                try:
                    self._store(key, request, response)
                    response["X-Page-Cache"] = "MISS"
                except Exception:  # noqa: BLE001 - database or cache down: serve it unstored
                    logger.warning("page cache: could not store %s", request.path, exc_info=True)
            return response
        finally:
            try:
                cache.delete(LOCK_KEY.format(key))
            except Exception:  # noqa: BLE001
                logger.warning("page cache: could not release lock", exc_info=True)

    def _is_fresh(self, entry: dict) -> bool:
        """Whether ``entry`` is still current. For an entry in process memory with
        Redis, usually without a round trip: the epoch (replaced by every invalidation)
        is a tracked key (``core.cache.TrackedKey``), and while it is unchanged since
        the entry was last checked, so are its tags. Otherwise one round trip."""
        if time.time() >= entry["expires"]:
            return False
        epoch = current_epoch()
        if epoch is not None and entry.get("checked_epoch") == epoch:
            return True
        fresh = self._tags_unchanged(entry)
        if fresh and epoch is not None:
            entry["checked_epoch"] = epoch  # read before the check: never too new
        return fresh

    def _tags_unchanged(self, entry: dict) -> bool:
        match = getattr(cache, "versions_match", None)
        if match is not None:  # Redis: compared in one script call (core.cache)
            tags = entry["tags"]
            return bool(
                match(
                    [TAG_KEY.format(tag) for tag in tags], [entry["versions"].get(t) for t in tags]
                )
            )
        return bool(tag_versions(entry["tags"]) == entry["versions"])

    def _shared_entry(self, key: str) -> tuple[dict | None, bool]:
        """The shared entry for ``key`` and whether it is fresh. With Redis one round
        trip (entry and tag versions by a script, ``core.cache``); else two."""
        fetch = getattr(cache, "get_with_dependencies", None)
        if fetch is None:
            entry = cache.get(ENTRY_KEY.format(key))
            return entry, entry is not None and self._is_fresh(entry)
        found = fetch(ENTRY_KEY.format(key), DEPENDENCIES_KEY.format(key))
        if found is None:
            return None, False
        entry, versions = found
        if len(versions) != len(entry["tags"]):  # no listing (evicted): ask the usual way
            return entry, self._is_fresh(entry)
        expected = [entry["versions"].get(tag) for tag in entry["tags"]]
        return entry, time.time() < entry["expires"] and versions == expected

    def _wait_for_entry(self, key: str) -> dict | None:
        deadline = time.monotonic() + _setting("PAGE_CACHE_WAIT_SECONDS", 2.0)
        while time.monotonic() < deadline:
            time.sleep(0.05)
            entry: dict | None = cache.get(ENTRY_KEY.format(key))
            if entry is not None and self._is_fresh(entry):
                return entry
        return None

    def _store(self, key: str, request: HttpRequest, response: HttpResponse) -> None:
        # The page's own tags and those of every fragment it used (core.fragments).
        tags = tuple(
            dict.fromkeys(
                (*response.page_cache_tags, *collected_tags(request))  # type: ignore[attr-defined]
            )
        )
        ttl = _setting("PAGE_CACHE_SECONDS", 300)
        content_type = response.get("Content-Type", "")
        entry = {
            "content": response.content,
            # Compressed once here, so no hit compresses (core.compression).
            "gzip": compression.compressed_body(response.content, content_type),
            "headers": {k: v for k, v in response.items() if k.lower() not in UNSTORED_HEADERS},
            "tags": tags,
            "versions": tag_versions(tags),
            # Fresh until the TTL ends or the next scheduled go-live/expiry,
            # whichever comes first: scheduled articles appear on time.
            "expires": min(time.time() + ttl, next_visibility_change()),
        }
        # Kept longer than it is fresh, so a stale copy can bridge a re-render
        # or an outage of the database.
        compression.remember_compressed(response, entry["gzip"])
        timeout = ttl + _setting("PAGE_CACHE_STALE_SECONDS", 3600)
        cache.set(ENTRY_KEY.format(key), entry, timeout=timeout)
        if hasattr(cache, "set_dependencies"):
            cache.set_dependencies(
                DEPENDENCIES_KEY.format(key), [TAG_KEY.format(tag) for tag in tags], timeout
            )

    def _respond(self, request: HttpRequest, entry: dict, state: str) -> HttpResponse:
        headers = entry["headers"]
        response = HttpResponse(entry["content"], headers={**headers, "X-Page-Cache": state})
        compression.mark_public(response)
        compressed = entry.get("gzip")
        if compressed is not None and compression.accepts_gzip(request):
            compression.use_compressed(response, compressed)
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
            # Given a response, Django returns it or a 304/412, never None (the stubs say Optional).
            return get_conditional_response(  # type: ignore[return-value]
                request, etag=headers.get("ETag"), last_modified=last_modified, response=response
            )
        return response
