"""The numbers of a transparency report (DSA Art. 15 and 24) for one period.

A read only (no writes): notices by ground and outcome, decisions by kind and by
who took them (automated or a person), the median time from notice to decision,
the automated share, and reviews. Counted from the records the services store
(``Notice``, ``ModerationDecision``, ``ReviewRequest``), which outlive deleted
comments. Three queries plus one for the notice durations.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.utils import timezone

from comments import grounds
from comments.models import ModerationDecision, Notice, ReviewRequest


@dataclass
class TransparencyReport:
    start: date
    end: date  # inclusive
    notices_total: int
    notices_by_ground: dict[str, int]  # every catalogue code, zero included
    notices_illegal: int
    notices_rules: int
    notices_removed: int
    notices_kept: int
    notices_open: int
    median_hours_to_decision: float | None  # notices received and decided in the period
    decisions_total: int
    decisions_by_kind: dict[str, int]  # hold, approve, reject, spam
    decisions_automated: int
    decisions_by_person: int
    removals_by_ground: dict[str, int]  # rejections and spam, by ground
    reviews_total: int
    reviews_upheld: int
    reviews_reversed: int
    reviews_open: int

    @property
    def automated_share(self) -> float:
        """Automated decisions as a share of all decisions (0 to 1)."""
        return self.decisions_automated / self.decisions_total if self.decisions_total else 0.0

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, item, value) lines, as the CSV export and the admin page show them."""
        out: list[tuple[str, str, str]] = [
            ("period", "start", self.start.isoformat()),
            ("period", "end", self.end.isoformat()),
            ("notices", "total", str(self.notices_total)),
            ("notices", "illegal", str(self.notices_illegal)),
            ("notices", "rules", str(self.notices_rules)),
        ]
        out += [("notices_by_ground", code, str(n)) for code, n in self.notices_by_ground.items()]
        out += [
            ("notices", "removed", str(self.notices_removed)),
            ("notices", "kept", str(self.notices_kept)),
            ("notices", "open", str(self.notices_open)),
            (
                "notices",
                "median_hours_to_decision",
                ""
                if self.median_hours_to_decision is None
                else f"{self.median_hours_to_decision:.2f}",
            ),
            ("decisions", "total", str(self.decisions_total)),
        ]
        out += [("decisions_by_kind", kind, str(n)) for kind, n in self.decisions_by_kind.items()]
        out += [
            ("decisions", "automated", str(self.decisions_automated)),
            ("decisions", "by_person", str(self.decisions_by_person)),
            ("decisions", "automated_share", f"{self.automated_share:.4f}"),
        ]
        out += [("removals_by_ground", code, str(n)) for code, n in self.removals_by_ground.items()]
        out += [
            ("reviews", "total", str(self.reviews_total)),
            ("reviews", "upheld", str(self.reviews_upheld)),
            ("reviews", "reversed", str(self.reviews_reversed)),
            ("reviews", "open", str(self.reviews_open)),
        ]
        return out

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["section", "item", "value"])
        writer.writerows(self.rows())
        return buffer.getvalue()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the site's time zone."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def transparency_report(*, start: date, end: date) -> TransparencyReport:
    """The report for the days ``start`` to ``end`` (both included).

    Notices and reviews count by when they were received, decisions by when they
    were taken; "open" is as of now. Four queries.
    """
    since, until = _bounds(start, end)
    notices = Notice.objects.filter(created_at__gte=since, created_at__lt=until)
    by_ground_outcome = notices.values_list("ground", "outcome").annotate(n=Count("pk")).order_by()
    notices_by_ground = dict.fromkeys(grounds.CODES, 0)
    outcomes = {Notice.Outcome.REMOVED: 0, Notice.Outcome.KEPT: 0, "": 0}
    for code, outcome, n in by_ground_outcome:
        notices_by_ground[code] = notices_by_ground.get(code, 0) + n
        outcomes[outcome] = outcomes.get(outcome, 0) + n
    durations = [
        (decided - received).total_seconds() / 3600
        for received, decided in notices.filter(decided_at__isnull=False).values_list(
            "created_at", "decided_at"
        )
        if decided is not None
    ]
    decisions = ModerationDecision.objects.filter(created_at__gte=since, created_at__lt=until)
    by_kind = dict.fromkeys(ModerationDecision.Kind.values, 0)
    automated = person = 0
    removals = dict.fromkeys(grounds.CODES, 0)
    for kind, is_automated, ground, n in (
        decisions.values_list("kind", "automated", "ground").annotate(n=Count("pk")).order_by()
    ):
        by_kind[kind] += n
        if is_automated:
            automated += n
        else:
            person += n
        if kind in (ModerationDecision.Kind.REJECT, ModerationDecision.Kind.SPAM) and ground:
            removals[ground] = removals.get(ground, 0) + n
    reviews = dict(
        ReviewRequest.objects.filter(created_at__gte=since, created_at__lt=until)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("outcome", "n")
    )
    illegal_codes = {g.code for g in grounds.GROUNDS if g.kind == grounds.ILLEGAL}
    return TransparencyReport(
        start=start,
        end=end,
        notices_total=sum(notices_by_ground.values()),
        notices_by_ground=notices_by_ground,
        notices_illegal=sum(n for c, n in notices_by_ground.items() if c in illegal_codes),
        notices_rules=sum(n for c, n in notices_by_ground.items() if c not in illegal_codes),
        notices_removed=outcomes[Notice.Outcome.REMOVED],
        notices_kept=outcomes[Notice.Outcome.KEPT],
        notices_open=outcomes[""],
        median_hours_to_decision=statistics.median(durations) if durations else None,
        decisions_total=automated + person,
        decisions_by_kind=by_kind,
        decisions_automated=automated,
        decisions_by_person=person,
        removals_by_ground=removals,
        reviews_total=sum(reviews.values()),
        reviews_upheld=reviews.get(ReviewRequest.Outcome.UPHELD, 0),
        reviews_reversed=reviews.get(ReviewRequest.Outcome.REVERSED, 0),
        reviews_open=reviews.get("", 0),
    )
