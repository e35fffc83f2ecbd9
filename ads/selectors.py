"""Which ads a page may show, and which one a view gets.

``eligible_set(code, page)`` answers, for one slot on one kind of page, the
creatives that may run there now: campaign active and within its dates,
targeted at this page type, section and tags, under its caps, slot active and
meant for this page type. Slots that collapse when nothing is booked never get
house ads. The answer holds everything needed to render (pre-rendered
fragments), is cached for ``ELIGIBLE_TTL`` seconds under a version number that
every change to ads bumps (``newsroom.purges``, on commit), so rendering a slot
costs two queries when cold and none when warm.

``choose(creatives, rng)`` picks the ad for one view: highest priority first,
then weighted random among equals; the random source is injected so tests are
exact. Caps are checked against flushed statistics: they can overshoot by what
is counted during one flush interval plus ``ELIGIBLE_TTL``.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ads.models import Campaign, Creative, DailyStat, PageType, Slot
from ads.traffic import Visit, capped_campaigns
from core import pagecache
from core.parsing import parse_id, parse_ids

logger = logging.getLogger(__name__)

ELIGIBLE_TTL = 60
VERSION_KEY = "ads:ver"


@dataclass(frozen=True)
class PageContext:
    """What targeting looks at: the kind of page, its section and its tags (ids)."""

    page_type: str = PageType.HOME
    section_id: int | None = None
    tag_ids: tuple[int, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag_ids", tuple(sorted(set(self.tag_ids))))

    def query(self) -> str:
        """The query string the slot endpoint reads back with ``from_query``."""
        parts = [f"p={self.page_type}"]
        if self.section_id:
            parts.append(f"s={self.section_id}")
        if self.tag_ids:
            parts.append("t=" + ".".join(str(t) for t in self.tag_ids))
        return "&".join(parts)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> PageContext:
        """Parse ``p``, ``s`` and ``t``; anything malformed is ignored, never an error."""
        page_type = params.get("p", "")
        if page_type not in PageType.values:
            page_type = PageType.HOME
        section_id = parse_id(params.get("s", ""))
        tags = parse_ids(params.get("t", ""), separator=".", limit=50)
        return cls(page_type, section_id, tuple(tags))

    def cache_part(self) -> str:
        tags = ".".join(str(t) for t in self.tag_ids)
        digest = hashlib.sha256(tags.encode()).hexdigest()[:16]
        return f"{self.page_type}:{self.section_id or 0}:{digest}"


@dataclass(frozen=True)
class SlotInfo:
    id: int
    code: str
    position: str
    after_n: int
    mobile_width: int
    mobile_height: int
    desktop_width: int
    desktop_height: int


@dataclass(frozen=True)
class Candidate:
    creative_id: int
    campaign_id: int
    priority: int
    weight: int
    kind: str
    html: str  # the rendered creative (never a raw third-party tag: those are iframes)
    reader_cap: int | None = None  # the campaign's "at most N per reader and day"


@dataclass(frozen=True)
class EligibleSet:
    slot: SlotInfo | None
    candidates: tuple[Candidate, ...] = ()

    @property
    def fallback(self) -> Candidate | None:
        """The deterministic server-side choice for ``<noscript>``: first of the top priority."""
        return choose(self.candidates, rng=_FirstChoice())


class _FirstChoice(random.Random):
    def random(self) -> float:
        return 0.0


def ads_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)  # type: ignore[return-value]  # default 1: never None


def bump_ads_version() -> None:
    """Invalidate every cached eligible set (side effect: one cache write; never raises)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, None)
    except Exception:  # noqa: BLE001 - a cache outage must not break saving an ad
        logger.warning("ads: could not bump the ads version", exc_info=True)


def eligible_set(code: str, page: PageContext) -> EligibleSet:
    """The cached eligible set of slot ``code`` on ``page``. 0 queries warm, 2 cold;
    held in process memory while no purge happened (``core.pagecache.remembered``).

    When the cache is down the set is computed (pages keep their ads).
    """

    def shared() -> EligibleSet:
        try:
            key = f"ads:elig:{ads_version()}:{code}:{page.cache_part()}"
            found: EligibleSet | None = cache.get(key)
        except Exception:  # noqa: BLE001 - no cache means "compute", never a broken page
            logger.warning("ads: cache unavailable", exc_info=True)
            return compute_eligible_set(code, page)
        if found is None:
            found = compute_eligible_set(code, page)
            try:
                cache.set(key, found, ELIGIBLE_TTL)
            except Exception:  # noqa: BLE001
                logger.warning("ads: cache unavailable", exc_info=True)
        return found

    # Every change to ads replaces the epoch after bumping the version (newsroom.purges).
    return pagecache.remembered(f"ads:elig:{code}:{page.cache_part()}", ELIGIBLE_TTL, shared)


def _campaign_totals(**filters: Any) -> QuerySet[DailyStat, Any]:
    stats = (
        DailyStat.objects.filter(creative__campaign=OuterRef("pk"), **filters)
        .order_by()
        .values("creative__campaign")
    )
    return stats


def running_campaigns_for(
    slot: Slot, page: PageContext, *, at: datetime | None = None
) -> QuerySet[Campaign]:
    """Campaigns running at ``at``, targeted at ``page`` and ``slot``, under their caps."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    through_slots = Campaign.slots.through.objects.filter(campaign=OuterRef("pk"))
    through_sections = Campaign.target_sections.through.objects.filter(campaign=OuterRef("pk"))
    through_tags = Campaign.target_tags.through.objects.filter(campaign=OuterRef("pk"))

    def total(column: str, **filters: Any) -> Coalesce:
        return Coalesce(
            Subquery(_campaign_totals(**filters).annotate(total=Sum(column)).values("total")[:1]),
            Value(0),
        )

    campaigns = (
        Campaign.objects.running(at=now)
        .filter(Q(target_page_types=[]) | Q(target_page_types__contains=[page.page_type]))
        .filter(~Exists(through_slots) | Exists(through_slots.filter(slot=slot)))
        .filter(
            ~Exists(through_sections)
            | Exists(through_sections.filter(section_id=page.section_id or 0))
        )
        .filter(~Exists(through_tags) | Exists(through_tags.filter(tag_id__in=page.tag_ids)))
        .annotate(
            impressions_total=total("impressions"),
            clicks_total=total("clicks"),
            impressions_today=total("impressions", day=today),
        )
        .filter(Q(max_impressions__isnull=True) | Q(max_impressions__gt=F("impressions_total")))
        .filter(Q(max_clicks__isnull=True) | Q(max_clicks__gt=F("clicks_total")))
        .filter(
            Q(max_impressions_per_day__isnull=True)
            | Q(max_impressions_per_day__gt=F("impressions_today"))
        )
    )
    if slot.fallback == Slot.Fallback.COLLAPSE:
        campaigns = campaigns.exclude(priority=Campaign.Priority.HOUSE)
    return campaigns


def compute_eligible_set(
    code: str, page: PageContext, *, at: datetime | None = None
) -> EligibleSet:
    """Uncached eligible set (2 queries: the slot, then creatives with their campaigns)."""
    from ads.rendering import render_creative

    slot = Slot.objects.filter(code=code, is_active=True).first()
    if slot is None or (slot.page_types and page.page_type not in slot.page_types):
        return EligibleSet(slot=None)
    campaigns = running_campaigns_for(slot, page, at=at)
    creatives = (
        Creative.objects.filter(is_active=True, campaign__in=campaigns.values("pk"))
        .select_related("campaign__advertiser")
        .order_by("-campaign__priority", "campaign_id", "id")
    )
    candidates = tuple(
        Candidate(
            creative_id=creative.pk,
            campaign_id=creative.campaign_id,
            priority=creative.campaign.priority,
            weight=creative.campaign.weight,
            kind=creative.kind,
            html=render_creative(creative, slot, section_id=page.section_id),
            reader_cap=creative.campaign.max_per_reader_per_day,
        )
        for creative in creatives
    )
    return EligibleSet(slot=slot_info(slot), candidates=candidates)


def slot_info(slot: Slot) -> SlotInfo:
    return SlotInfo(
        id=slot.pk,
        code=slot.code,
        position=slot.position,
        after_n=slot.after_n,
        mobile_width=slot.mobile_width,
        mobile_height=slot.mobile_height,
        desktop_width=slot.desktop_width,
        desktop_height=slot.desktop_height,
    )


def choose(candidates: Sequence[Candidate], *, rng: random.Random) -> Candidate | None:
    """Highest priority wins; among equals, a weighted draw with ``rng``.

    A campaign's weight is shared by its creatives, so a campaign with three
    creatives is not shown three times as often. No side effects.
    """
    if not candidates:
        return None
    top = max(candidate.priority for candidate in candidates)
    pool = [candidate for candidate in candidates if candidate.priority == top]
    per_campaign = Counter(candidate.campaign_id for candidate in pool)
    weights = [candidate.weight / per_campaign[candidate.campaign_id] for candidate in pool]
    point = rng.random() * sum(weights)
    for candidate, weight in zip(pool, weights, strict=True):
        point -= weight
        if point < 0:
            return candidate
    return pool[-1]


def open_for_reader(candidates: Sequence[Candidate], *, visit: Visit) -> list[Candidate]:
    """``candidates`` without the campaigns this reader has reached the daily cap of.

    One counters-cache read when any candidate has a cap, none otherwise.
    Invalid visits are not capped (they never use up a cap either).
    """
    if not visit.valid:
        return list(candidates)
    caps = {c.campaign_id: c.reader_cap for c in candidates if c.reader_cap}
    capped = capped_campaigns(visit, [(pk, cap) for pk, cap in caps.items() if cap])
    return [c for c in candidates if c.campaign_id not in capped]


def page_context_for(
    *, page_type: str, section_id: int | None = None, tag_ids: Iterable[int] = ()
) -> PageContext:
    return PageContext(page_type=page_type, section_id=section_id, tag_ids=tuple(tag_ids))
