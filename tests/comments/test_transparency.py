"""The transparency report (DSA Art. 15/24): the numbers of one period add up, as
a table in the admin and as CSV."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationDecision, Notice, ReviewRequest
from comments.transparency import transparency_report
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 10)


def at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def period_data(article, conf, moderator):
    """Three notices on two comments and a mix of decisions, all on ``DAY``."""
    second = staff_member("moderation2", "Moderation")
    a, b = (
        Comment.objects.create(
            article=article, name=n, email=f"{n}@example.org", text="Text", status="approved"
        )
        for n in ("a", "b")
    )
    for comment, ground in ((a, "insult"), (a, "threat"), (b, "rules_off_topic")):
        services.notice_submit(
            comment=comment,
            ground=ground,
            explanation="Begründung",
            name="R",
            email="r@example.org",
            good_faith=True,
        )
    Notice.objects.update(created_at=at(8))
    services.comment_reject(comment=a, actor=moderator, reason="Beleidigend.", ground="insult")
    services.comment_approve(comment=b, actor=moderator)
    # a decided after 2 hours, b after 6: the median of three notices (2, 2, 6) is 2.
    Notice.objects.filter(comment=a).update(decided_at=at(10))
    Notice.objects.filter(comment=b).update(decided_at=at(14))
    decision = ModerationDecision.objects.get(kind="reject")
    services.review_request(decision=decision, explanation="Bitte prüfen.")
    services.comment_approve(comment=a, actor=second)
    ModerationDecision.objects.update(created_at=at(12))
    ReviewRequest.objects.update(created_at=at(11))
    # Two automated decisions: a hold and a rejection.
    for status, kind in (("pending", "hold"), ("rejected", "reject")):
        held = Comment.objects.create(article=article, name="c", text="T", status=status)
        ModerationDecision.objects.create(
            comment=held,
            kind=kind,
            automated=True,
            ground="rules_tone" if kind == "reject" else "",
            created_at=at(9),
        )
    # Outside the period: not counted.
    ModerationDecision.objects.create(
        kind="spam", automated=True, created_at=at(9, DAY + timedelta(days=40))
    )
    return a, b


def test_the_numbers_of_a_period_add_up(period_data):
    report = transparency_report(start=DAY, end=DAY)
    assert report.notices_total == 3
    assert report.notices_by_ground["insult"] == 1 and report.notices_by_ground["threat"] == 1
    assert report.notices_by_ground["rules_off_topic"] == 1
    assert sum(report.notices_by_ground.values()) == report.notices_total
    assert report.notices_illegal + report.notices_rules == report.notices_total == 3
    assert report.notices_removed == 2 and report.notices_kept == 1 and report.notices_open == 0
    assert (
        report.notices_removed + report.notices_kept + report.notices_open == report.notices_total
    )
    assert report.median_hours_to_decision == 2
    # reject a, approve b, approve a (review), automated hold and reject.
    assert report.decisions_by_kind == {"hold": 1, "approve": 2, "reject": 2, "spam": 0}
    assert sum(report.decisions_by_kind.values()) == report.decisions_total == 5
    assert report.decisions_automated == 2 and report.decisions_by_person == 3
    assert report.automated_share == pytest.approx(0.4)
    assert report.removals_by_ground["insult"] == 1 and report.removals_by_ground["rules_tone"] == 1
    assert (report.reviews_total, report.reviews_reversed, report.reviews_upheld) == (1, 1, 0)


def test_moderators_see_the_report_and_download_it_as_csv(client, moderator, period_data):
    client.force_login(moderator)
    page = client.get("/admin/comments/notice/transparenz/", {"start": DAY, "end": DAY})
    assert page.status_code == 200
    assert "Median bis zur Entscheidung" in page.text and "40,0 %" in page.text
    download = client.get(
        "/admin/comments/notice/transparenz/", {"start": DAY, "end": DAY, "format": "csv"}
    )
    assert download["Content-Type"].startswith("text/csv")
    rows = {(s, i): v for s, i, v in list(csv.reader(io.StringIO(download.content.decode())))[1:]}
    assert rows[("notices", "total")] == "3"
    assert rows[("decisions", "automated_share")] == "0.4000"
    assert rows[("notices", "median_hours_to_decision")] == "2.00"


def test_editors_do_not_see_the_report(client, editor):
    client.force_login(editor)
    assert client.get("/admin/comments/notice/transparenz/").status_code == 403
