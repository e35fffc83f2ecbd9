"""Read side of the ad statistics: daily impressions, clicks and CTR (one query)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ads.models import DailyStat


@dataclass(frozen=True)
class ReportRow:
    day: dt.date
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float:
        """Click-through rate in percent."""
        return 100.0 * self.clicks / self.impressions if self.impressions else 0.0


@dataclass(frozen=True)
class Report:
    rows: list[ReportRow]
    start: dt.date
    end: dt.date

    @property
    def total(self) -> ReportRow:
        return ReportRow(
            day=self.end,
            impressions=sum(r.impressions for r in self.rows),
            clicks=sum(r.clicks for r in self.rows),
        )

    @property
    def max_impressions(self) -> int:
        return max((r.impressions for r in self.rows), default=0)


def daily_report(*, start: dt.date | None = None, end: dt.date | None = None, **filters) -> Report:
    """Per-day sums for ``filters`` (``creative__campaign=…``, ``creative=…``, ``slot=…``).

    Every day of the range appears, days without counts as zeros. One query.
    """
    end = end or timezone.localdate()
    start = start or end - dt.timedelta(days=29)
    sums = {
        row["day"]: row
        for row in DailyStat.objects.filter(day__range=(start, end), **filters)
        .order_by()
        .values("day")
        .annotate(impressions=Sum("impressions"), clicks=Sum("clicks"))
    }
    rows = []
    day = start
    while day <= end:
        found = sums.get(day)
        rows.append(
            ReportRow(
                day=day,
                impressions=found["impressions"] if found else 0,
                clicks=found["clicks"] if found else 0,
            )
        )
        day += dt.timedelta(days=1)
    return Report(rows=rows, start=start, end=end)


def report_csv(report: Report) -> str:
    """The report as CSV (semicolon-separated, German spreadsheet convention)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Tag"), _("Einblendungen"), _("Klicks"), _("CTR (%)")])
    for row in report.rows:
        writer.writerow(
            [row.day.isoformat(), row.impressions, row.clicks, f"{row.ctr:.2f}".replace(".", ",")]
        )
    total = report.total
    writer.writerow(
        [_("Summe"), total.impressions, total.clicks, f"{total.ctr:.2f}".replace(".", ",")]
    )
    return out.getvalue()
