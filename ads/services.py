"""Writes of the ads app: moving buffered counts into the daily statistics."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q

from ads import counting
from ads.models import Creative, DailyStat, Slot
from ads.signals import ad_stats_flushed
from core.health import AD_COUNTS_FLUSH, record_heartbeat

logger = logging.getLogger(__name__)


@dataclass
class FlushResult:
    rows: int = 0
    impressions: int = 0
    clicks: int = 0
    viewable: int = 0
    invalid: int = 0
    skipped: bool = False  # another flush held the lock


def ad_counts_flush(*, dry_run: bool = False) -> FlushResult:
    """Move buffered impressions and clicks into ``DailyStat`` exactly once.

    Takes the lock, reads the dirty-key registry, takes each counter atomically
    and adds the sums to one row per creative, slot and day with ``F()`` updates
    in one transaction. If the database write fails the batch goes back to the
    buffer. Side effects: cache writes, database writes, the flush heartbeat that
    ``/healthz/ready`` reports (core.health), and ``ad_stats_flushed``
    (the purge module bumps the ads version, so caps are re-checked).
    ``dry_run`` only reports what is pending.
    """
    if dry_run:
        result = FlushResult()
        for key, value in counting.pending().items():
            _add(result, key.kind, value)
        return result
    if not counting.acquire_lock():
        return FlushResult(skipped=True)
    try:
        keys, high = counting.dirty_keys()
        taken = counting.take(keys)
        counting.mark_done(high)
        if not taken:
            record_heartbeat(AD_COUNTS_FLUSH)  # nothing to move is a successful flush too
            return FlushResult()
        try:
            result = _write(taken)
        except Exception:
            counting.give_back(taken)
            raise
    finally:
        counting.release_lock()
    record_heartbeat(AD_COUNTS_FLUSH)
    ad_stats_flushed.send(sender=DailyStat)
    return result


def _add(result: FlushResult, kind: str, value: int) -> None:
    if kind == counting.IMPRESSION:
        result.impressions += value
    elif kind == counting.CLICK:
        result.clicks += value
    elif kind == counting.VIEWABLE:
        result.viewable += value
    else:
        result.invalid += value


def _write(taken: dict[counting.CounterKey, int]) -> FlushResult:
    totals: dict[tuple[int, int, int, date], dict[str, int]] = defaultdict(dict)
    for key, value in taken.items():
        column = counting.COLUMNS.get(key.kind)
        if column is None:
            logger.warning("ads: dropping counts of unknown kind %r", key.kind)
            continue
        sums = totals[(key.creative_id, key.slot_id, key.section_id, key.day)]
        sums[column] = sums.get(column, 0) + value
    creative_ids = set(
        Creative.objects.filter(pk__in={k[0] for k in totals}).values_list("pk", flat=True)
    )
    slot_ids = set(Slot.objects.filter(pk__in={k[1] for k in totals}).values_list("pk", flat=True))
    result = FlushResult()
    with transaction.atomic():
        rows = [
            DailyStat(creative_id=c, slot_id=s, section_id=x or None, day=d)
            for (c, s, x, d) in totals
            if c in creative_ids and s in slot_ids
        ]
        DailyStat.objects.bulk_create(rows, ignore_conflicts=True)
        for (creative_id, slot_id, section_id, day), sums in totals.items():
            if creative_id not in creative_ids or slot_id not in slot_ids:
                logger.info(
                    "ads: dropping counts of deleted creative/slot %s/%s", creative_id, slot_id
                )
                continue
            in_section = Q(section_id=section_id) if section_id else Q(section__isnull=True)
            DailyStat.objects.filter(
                in_section, creative_id=creative_id, slot_id=slot_id, day=day
            ).update(**{column: F(column) + value for column, value in sums.items()})
            result.rows += 1
            for key_kind, column in counting.COLUMNS.items():
                _add(result, key_kind, sums.get(column, 0))
    return result
