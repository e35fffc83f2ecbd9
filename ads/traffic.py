"""Who is asking, without storing anything on the reader's device: the daily
pseudonymous reader key, the invalid-traffic rules and the per-reader caps.

The reader key is ``HMAC(daily secret, address + user agent)``, where the daily
secret is ``HMAC(SECRET_KEY, date)``: the same reader gets the same key all day
(enough for "at most N per day" and for spotting replays within minutes) and an
unrelated key the next day; nobody without ``SECRET_KEY`` can compute it, and
nobody can turn it back into an address. It lives only in the ``counters``
cache, for the window a rule needs (the replay window, the rest of the day),
never in a cookie, localStorage or the database (docs/privacy.md, § 25 TDDDG).

Invalid traffic (IVT) is counted apart and never billed nor used against a
cap: known bots (user agent), addresses in a data-center range
(``ADS_DATACENTER_NETWORKS``) and replays (the same token from the same
reader within ``ADS_REPLAY_WINDOW_SECONDS``). Prefetches are not views at all.

Every function takes the time as ``now`` so tests drive the clock; nothing here
draws random numbers (the creative draw and token nonces take an injected
``random.Random``).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from ads.counting import BOT_PATTERN
from core.cache import counter_cache
from core.clientip import client_ip

READER_SALT = b"ads.reader-day:"


class Verdict(enum.StrEnum):
    VALID = "valid"
    BOT = "bot"
    DATACENTER = "datacenter"
    REPLAY = "replay"
    PREFETCH = "prefetch"  # not a view: counted nowhere


@dataclass(frozen=True)
class Visit:
    """One request to an ad endpoint: the reader's daily key and what it counts as."""

    reader: str
    day: dt.date
    verdict: Verdict

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def counted(self) -> bool:
        """Counted at all (valid, or apart as invalid); prefetches are not."""
        return self.verdict != Verdict.PREFETCH


def daily_secret(day: dt.date) -> bytes:
    """The secret of one (Berlin) day, derived from ``SECRET_KEY``; never stored."""
    return hmac.new(
        settings.SECRET_KEY.encode(), READER_SALT + day.isoformat().encode(), hashlib.sha256
    ).digest()


def reader_key(*, address: str, user_agent: str, day: dt.date) -> str:
    """The pseudonymous key of a reader on ``day`` (changes every day). No side effects."""
    message = f"{address}\n{user_agent}".encode()
    return hmac.new(daily_secret(day), message, hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=8)
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def in_datacenter(address: str, entries: Iterable[str] | None = None) -> bool:
    """True when ``address`` lies in a configured data-center range."""
    if entries is None:
        entries = getattr(settings, "ADS_DATACENTER_NETWORKS", ())
    networks = _networks(tuple(entries))
    if not networks or not address:
        return False
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed.version == net.version and parsed in net for net in networks)


def classify(request: HttpRequest, *, now: dt.datetime | None = None) -> Visit:
    """The visit of ``request``: its reader key and bot / data-center / prefetch / valid.

    Replays are a second step (``check_replay``) because only token-bearing
    requests can be replays. No side effects.
    """
    now = now or timezone.now()
    day = timezone.localdate(now)
    agent = request.headers.get("User-Agent", "").strip()
    address = client_ip(request) or ""
    reader = reader_key(address=address, user_agent=agent, day=day)
    purpose = (request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")).lower()
    if "prefetch" in purpose or "prerender" in purpose:
        verdict = Verdict.PREFETCH
    elif not agent or BOT_PATTERN.search(agent):
        verdict = Verdict.BOT
    elif in_datacenter(address):
        verdict = Verdict.DATACENTER
    else:
        verdict = Verdict.VALID
    return Visit(reader=reader, day=day, verdict=verdict)


def replay_window() -> int:
    return int(getattr(settings, "ADS_REPLAY_WINDOW_SECONDS", 600))


def check_replay(visit: Visit, *, kind: str, token: str, now: dt.datetime | None = None) -> Visit:
    """``visit`` as a replay when this reader sent ``token`` for ``kind`` within the window.

    Side effect: remembers (reader, kind, token) in the counters cache for the
    window. Only valid visits are checked (an invalid one stays what it is).
    """
    if not visit.valid:
        return visit
    now = now or timezone.now()
    window = replay_window()
    digest = hashlib.sha256(token.encode()).hexdigest()[:24]
    key = f"ads:seen:{kind}:{visit.reader}:{digest}"
    stamp = now.timestamp()
    cache = counter_cache()
    if cache.add(key, stamp, window):
        return visit
    seen = cache.get(key)
    if seen is not None and stamp - float(seen) < window:
        return replace(visit, verdict=Verdict.REPLAY)
    cache.set(key, stamp, window)  # an old entry the cache had not expired yet
    return visit


def _seconds_left_today(now: dt.datetime) -> int:
    local = timezone.localtime(now)
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(int((midnight - local).total_seconds()), 1) + 3600  # an hour for clock skew


def _cap_key(visit: Visit, campaign_id: int) -> str:
    return f"ads:cap:{visit.day.isoformat()}:{campaign_id}:{visit.reader}"


def capped_campaigns(visit: Visit, caps: Sequence[tuple[int, int]]) -> set[int]:
    """Campaigns (of ``(campaign_id, cap)``) this reader has seen ``cap`` times today.

    One cache read for all of them; no side effects.
    """
    if not caps:
        return set()
    keys = {_cap_key(visit, campaign_id): (campaign_id, cap) for campaign_id, cap in caps}
    seen = counter_cache().get_many(list(keys))
    return {
        campaign_id for key, (campaign_id, cap) in keys.items() if int(seen.get(key, 0) or 0) >= cap
    }


def use_cap(visit: Visit, campaign_id: int, *, now: dt.datetime | None = None) -> int:
    """Count one impression of ``campaign_id`` against this reader's day; returns the count.

    Side effect: one counters-cache increment, kept until the end of the day.
    """
    key = _cap_key(visit, campaign_id)
    cache = counter_cache()
    if cache.add(key, 1, _seconds_left_today(now or timezone.now())):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, _seconds_left_today(now or timezone.now()))
        return 1
