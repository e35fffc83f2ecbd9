"""Read side of the ad statistics: per day, slot, section and creative; pacing; CSV; chart.

One query reads the statistics of a report (grouped by day, slot, section and
creative); the breakdowns are sums of those rows. Invalid traffic is shown
beside the valid counts, never inside them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ads.models import Campaign, DailyStat

METRICS = (
    "impressions",
    "viewable_impressions",
    "clicks",
    "invalid_impressions",
    "invalid_clicks",
)


@dataclass(frozen=True)
class Totals:
    impressions: int = 0
    viewable_impressions: int = 0
    clicks: int = 0
    invalid_impressions: int = 0
    invalid_clicks: int = 0

    @property
    def ctr(self) -> float:
        """Click-through rate in percent (valid clicks per valid impression)."""
        return 100.0 * self.clicks / self.impressions if self.impressions else 0.0

    @property
    def viewable_rate(self) -> float:
        """Share of the served impressions that were viewable, in percent."""
        return 100.0 * self.viewable_impressions / self.impressions if self.impressions else 0.0

    @property
    def invalid(self) -> int:
        return self.invalid_impressions + self.invalid_clicks

    def plus(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, m) + getattr(other, m) for m in METRICS))


@dataclass(frozen=True)
class ReportRow(Totals):
    day: dt.date = dt.date.min


@dataclass(frozen=True)
class Part:
    """One line of a breakdown (a slot, a section or a creative) with its sums."""

    label: str
    totals: Totals


@dataclass(frozen=True)
class DetailRow:
    day: dt.date
    slot: str
    section: str
    creative: str
    totals: Totals


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    start: dt.date
    end: dt.date
    details: list[DetailRow] = field(default_factory=list)
    by_slot: list[Part] = field(default_factory=list)
    by_section: list[Part] = field(default_factory=list)
    by_creative: list[Part] = field(default_factory=list)

    @property
    def total(self) -> ReportRow:
        total = Totals()
        for row in self.rows:
            total = total.plus(row)
        return _row(self.end, total)

    @property
    def max_impressions(self) -> int:
        return max((r.impressions for r in self.rows), default=0)


def _totals(values: Mapping[str, Any]) -> Totals:
    return Totals(*(int(values.get(m) or 0) for m in METRICS))


def _row(day: dt.date, totals: Totals) -> ReportRow:
    return ReportRow(
        impressions=totals.impressions,
        viewable_impressions=totals.viewable_impressions,
        clicks=totals.clicks,
        invalid_impressions=totals.invalid_impressions,
        invalid_clicks=totals.invalid_clicks,
        day=day,
    )


def _parts(rows: Iterable[tuple[str, Totals]]) -> list[Part]:
    sums: dict[str, Totals] = {}
    for label, totals in rows:
        sums[label] = sums.get(label, Totals()).plus(totals)
    return sorted(
        (Part(label, totals) for label, totals in sums.items()),
        key=lambda part: (-part.totals.impressions, part.label),
    )


def daily_report(
    *, start: dt.date | None = None, end: dt.date | None = None, **filters: Any
) -> Report:
    """Per-day sums for ``filters`` (``creative__campaign=…``, ``creative=…``, ``slot=…``),
    and the same counts per slot, section and creative. One query.

    Every day of the range appears, days without counts as zeros.
    """
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=29)
    grouped = (
        DailyStat.objects.filter(day__range=(start, end), **filters)
        .order_by()
        .values("day", "slot__name", "section__name", "creative__name")
        .annotate(**{m: Sum(m) for m in METRICS})
    )
    per_day: dict[dt.date, Totals] = {}
    details = []
    no_section = _("ohne Ressort")
    for values in grouped:
        totals = _totals(values)
        per_day[values["day"]] = per_day.get(values["day"], Totals()).plus(totals)
        details.append(
            DetailRow(
                day=values["day"],
                slot=values["slot__name"],
                section=values["section__name"] or no_section,
                creative=values["creative__name"],
                totals=totals,
            )
        )
    details.sort(key=lambda d: (d.day, d.slot, d.section, d.creative))
    rows = []
    day = start
    while day <= end:
        rows.append(_row(day, per_day.get(day, Totals())))
        day += dt.timedelta(days=1)
    return Report(
        rows=rows,
        start=start,
        end=end,
        details=details,
        by_slot=_parts((d.slot, d.totals) for d in details),
        by_section=_parts((d.section, d.totals) for d in details),
        by_creative=_parts((d.creative, d.totals) for d in details),
    )


def _percent(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def report_csv(report: Report) -> str:
    """The report as CSV, one line per day, slot, section and creative, and a sum line
    (semicolon-separated, decimal comma: the German spreadsheet convention)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Tag"),
            _("Werbeplatz"),
            _("Ressort"),
            _("Werbemittel"),
            _("Einblendungen"),
            _("Sichtbare Einblendungen"),
            _("Klicks"),
            _("CTR (%)"),
            _("Ungültige Einblendungen"),
            _("Ungültige Klicks"),
        ]
    )

    def numbers(totals: Totals) -> list[str | int]:
        return [
            totals.impressions,
            totals.viewable_impressions,
            totals.clicks,
            _percent(totals.ctr),
            totals.invalid_impressions,
            totals.invalid_clicks,
        ]

    for row in report.details:
        writer.writerow(
            [row.day.isoformat(), row.slot, row.section, row.creative, *numbers(row.totals)]
        )
    writer.writerow([_("Summe"), "", "", "", *numbers(report.total)])
    return out.getvalue()


# --- pacing ------------------------------------------------------------------------------

ON_TRACK_SHARE = 0.9  # delivered at least 90 % of what the elapsed time asks for


@dataclass(frozen=True)
class Pacing:
    """Delivery against one goal of a campaign: a total cap by its end date, or the
    daily cap by the end of today."""

    goal: str  # what the goal is, for people
    target: int
    delivered: int
    expected: int  # what a straight line from start to end asks for by now
    status: str  # "reached", "on_track", "behind"

    @property
    def share(self) -> float:
        return 100.0 * self.delivered / self.target if self.target else 0.0


def _status(delivered: int, expected: float, target: int, *, over: bool = False) -> str:
    """Reached the target; or, while running, at least 90 % of the straight line by now."""
    if delivered >= target:
        return "reached"
    if over:  # ended short of the target
        return "behind"
    return "on_track" if delivered >= ON_TRACK_SHARE * expected else "behind"


def campaign_pacing(campaign: Campaign, *, now: dt.datetime | None = None) -> list[Pacing]:
    """Pacing of ``campaign`` at ``now`` against its caps with an end date and its daily
    cap. Counts are the flushed valid ones. One query; no side effects.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    stats = DailyStat.objects.filter(creative__campaign=campaign).aggregate(
        impressions=Sum("impressions"), clicks=Sum("clicks")
    )
    impressions_today = 0
    if campaign.max_impressions_per_day:
        impressions_today = (
            DailyStat.objects.filter(creative__campaign=campaign, day=today).aggregate(
                n=Sum("impressions")
            )["n"]
            or 0
        )
    result = []
    if campaign.ends_at and campaign.ends_at > campaign.starts_at:
        duration = (campaign.ends_at - campaign.starts_at).total_seconds()
        elapsed = min(max((now - campaign.starts_at).total_seconds(), 0.0), duration)
        fraction = elapsed / duration
        for goal, target, delivered in (
            (_("Einblendungen bis zum Ende"), campaign.max_impressions, stats["impressions"]),
            (_("Klicks bis zum Ende"), campaign.max_clicks, stats["clicks"]),
        ):
            if target:
                expected = target * fraction
                result.append(
                    Pacing(
                        goal,
                        target,
                        delivered or 0,
                        round(expected),
                        _status(delivered or 0, expected, target, over=fraction >= 1),
                    )
                )
    if campaign.max_impressions_per_day:
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        fraction = (local - midnight).total_seconds() / 86400
        target = campaign.max_impressions_per_day
        expected = target * fraction
        result.append(
            Pacing(
                _("Einblendungen heute"),
                target,
                impressions_today,
                round(expected),
                _status(impressions_today, expected, target),
            )
        )
    return result


# --- the chart ---------------------------------------------------------------------------

CHART_WIDTH = 600
PANEL_HEIGHT = 120


@dataclass(frozen=True)
class Bar:
    row: ReportRow
    x: float
    width: float
    impressions_y: float
    impressions_height: float
    viewable_y: float
    viewable_height: float
    clicks_y: float
    clicks_height: float


@dataclass(frozen=True)
class Chart:
    """Two panels with their own scales: impressions (served and viewable) on top,
    clicks below with the CTR as a line, so a click bar is never a sliver under
    an impressions bar."""

    bars: list[Bar]
    impressions_max: int
    clicks_max: int
    ctr_max: int
    ctr_points: str  # the polyline of the CTR in the clicks panel
    width: int = CHART_WIDTH
    height: int = 2 * PANEL_HEIGHT + 70
    impressions_base: int = PANEL_HEIGHT + 20
    clicks_top: int = PANEL_HEIGHT + 50
    clicks_base: int = 2 * PANEL_HEIGHT + 50


def _nice_max(value: float) -> int:
    """A round upper end for an axis (1, 2, 5 × 10^n), at least 1."""
    if value <= 1:
        return 1
    magnitude: int = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def report_chart(report: Report) -> Chart:
    """Geometry of the report's chart (rendered as SVG by the template). No side effects."""
    rows = report.rows
    slot_width = CHART_WIDTH / max(len(rows), 1)
    impressions_max = _nice_max(max((r.impressions for r in rows), default=0))
    clicks_max = _nice_max(max((r.clicks for r in rows), default=0))
    ctr_max = _nice_max(max((r.ctr for r in rows), default=0.0))
    base = PANEL_HEIGHT + 20
    clicks_base = 2 * PANEL_HEIGHT + 50
    bars = []
    points = []
    for index, row in enumerate(rows):
        x = index * slot_width
        h_i = PANEL_HEIGHT * row.impressions / impressions_max
        h_v = PANEL_HEIGHT * row.viewable_impressions / impressions_max
        h_c = PANEL_HEIGHT * row.clicks / clicks_max
        bars.append(
            Bar(
                row=row,
                x=round(x + 1, 2),
                width=round(max(slot_width - 2, 1), 2),
                impressions_y=round(base - h_i, 2),
                impressions_height=round(h_i, 2),
                viewable_y=round(base - h_v, 2),
                viewable_height=round(h_v, 2),
                clicks_y=round(clicks_base - h_c, 2),
                clicks_height=round(h_c, 2),
            )
        )
        ctr_y = clicks_base - PANEL_HEIGHT * row.ctr / ctr_max
        points.append(f"{round(x + slot_width / 2, 2)},{round(ctr_y, 2)}")
    return Chart(
        bars=bars,
        impressions_max=impressions_max,
        clicks_max=clicks_max,
        ctr_max=ctr_max,
        ctr_points=" ".join(points),
    )
