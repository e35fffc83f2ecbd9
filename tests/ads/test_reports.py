"""Reports an ad manager reads at a glance: per day, slot, section and creative, with
viewable and invalid traffic beside the billed counts, clicks on their own scale,
pacing against caps and end date, and a CSV."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ads.models import DailyStat
from ads.reports import campaign_pacing, daily_report, report_chart
from tests.ads.factories import CampaignFactory, CreativeFactory, SlotFactory
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 12, 6)


@pytest.fixture
def campaign_stats(slot):
    campaign = CampaignFactory(name="Winter")
    banner = CreativeFactory(campaign=campaign, name="Banner")
    text = CreativeFactory(campaign=campaign, name="Text")
    sidebar = SlotFactory(code="article_sidebar", name="Seitenleiste")
    politik = SectionFactory(name="Politik")
    sport = SectionFactory(name="Sport")
    rows = [
        (banner, slot, politik, DAY, 1000, 600, 1, 40, 3),
        (banner, sidebar, sport, DAY, 500, 400, 4, 0, 0),
        (text, slot, None, DAY - dt.timedelta(days=1), 200, 50, 2, 10, 1),
    ]
    for creative, where, section, day, i, v, c, ii, ic in rows:
        DailyStat.objects.create(
            creative=creative,
            slot=where,
            section=section,
            day=day,
            impressions=i,
            viewable_impressions=v,
            clicks=c,
            invalid_impressions=ii,
            invalid_clicks=ic,
        )
    return campaign


def labels(parts) -> dict[str, tuple[int, int, int, int]]:
    return {
        p.label: (
            p.totals.impressions,
            p.totals.viewable_impressions,
            p.totals.clicks,
            p.totals.invalid,
        )
        for p in parts
    }


def test_the_report_breaks_down_by_slot_section_and_creative(
    campaign_stats, django_assert_num_queries
):
    with django_assert_num_queries(1):
        report = daily_report(
            start=DAY - dt.timedelta(days=1), end=DAY, creative__campaign=campaign_stats
        )
    assert labels(report.by_slot) == {
        "Platz article_top": (1200, 650, 3, 54),
        "Seitenleiste": (500, 400, 4, 0),
    }
    assert labels(report.by_section) == {
        "Politik": (1000, 600, 1, 43),
        "Sport": (500, 400, 4, 0),
        "ohne Ressort": (200, 50, 2, 11),
    }
    assert labels(report.by_creative) == {"Banner": (1500, 1000, 5, 43), "Text": (200, 50, 2, 11)}
    total = report.total
    assert (total.impressions, total.viewable_impressions, total.clicks, total.invalid) == (
        1700,
        1050,
        7,
        54,
    )
    assert [(r.day, r.impressions) for r in report.rows] == [
        (DAY - dt.timedelta(days=1), 200),
        (DAY, 1500),
    ]


def test_clicks_have_their_own_scale_in_the_chart(campaign_stats):
    report = daily_report(
        start=DAY - dt.timedelta(days=1), end=DAY, creative__campaign=campaign_stats
    )
    chart = report_chart(report)
    today = chart.bars[-1]
    # 5 clicks on 1,500 impressions: on one scale the click bar was under half a pixel.
    assert today.clicks_height >= 100
    assert today.impressions_height == pytest.approx(120 * 1500 / chart.impressions_max)
    assert chart.clicks_max == 5 and chart.impressions_max == 2000
    assert len(chart.ctr_points.split()) == 2


def test_the_report_page_shows_viewable_invalid_and_breakdowns(client, ad_manager, campaign_stats):
    client.force_login(ad_manager)
    url = reverse("admin:ads_campaign_report", args=[campaign_stats.pk])
    html = client.get(url, {"von": "2026-12-05", "bis": "2026-12-06"}).content.decode()
    assert "Summe: 1700 Einblendungen, 7 Klicks, CTR 0,41 %" in html
    assert "Davon sichtbar: 1050 (61,8 %). Ungültiger Traffic (nicht berechnet): 54." in html
    for heading in ("Pro Werbeplatz", "Pro Ressort", "Pro Werbemittel", "Seitenleiste", "Politik"):
        assert heading in html
    assert 'role="img" aria-labelledby="ad-chart-title ad-chart-desc"' in html


def test_the_csv_has_a_line_per_day_slot_section_and_creative(client, ad_manager, campaign_stats):
    client.force_login(ad_manager)
    url = reverse("admin:ads_campaign_report_csv", args=[campaign_stats.pk])
    lines = (
        client.get(url, {"von": "2026-12-05", "bis": "2026-12-06"}).content.decode().splitlines()
    )
    assert lines[1:] == [
        "2026-12-05;Platz article_top;ohne Ressort;Text;200;50;2;1,00;10;1",
        "2026-12-06;Platz article_top;Politik;Banner;1000;600;1;0,10;40;3",
        "2026-12-06;Seitenleiste;Sport;Banner;500;400;4;0,80;0;0",
        "Summe;;;;1700;1050;7;0,41;50;4",
    ]


START = dt.datetime(2026, 12, 1, 0, 0, tzinfo=BERLIN)
END = dt.datetime(2026, 12, 11, 0, 0, tzinfo=BERLIN)

PACING_CASES = [
    # caps, delivered impressions (flushed, valid), now, expected (goal kind, status)
    (
        {"max_impressions": 10_000, "ends_at": END},
        5_000,
        START + dt.timedelta(days=5),
        [("on_track", 5000)],
    ),
    (
        {"max_impressions": 10_000, "ends_at": END},
        4_400,
        START + dt.timedelta(days=5),
        [("behind", 5000)],
    ),
    (
        {"max_impressions": 10_000, "ends_at": END},
        4_600,
        START + dt.timedelta(days=5),
        [("on_track", 5000)],
    ),
    (
        {"max_impressions": 10_000, "ends_at": END},
        10_000,
        START + dt.timedelta(days=5),
        [("reached", 5000)],
    ),
    (
        {"max_impressions": 10_000, "ends_at": END},
        9_000,
        END + dt.timedelta(days=3),
        [("behind", 10000)],
    ),
    ({"max_impressions": 10_000, "ends_at": None}, 10, START + dt.timedelta(days=5), []),
    (
        {"max_impressions_per_day": 1_000},
        300,
        dt.datetime(2026, 12, 6, 12, 0, tzinfo=BERLIN),
        [("behind", 500)],
    ),
    (
        {"max_impressions_per_day": 1_000},
        600,
        dt.datetime(2026, 12, 6, 12, 0, tzinfo=BERLIN),
        [("on_track", 500)],
    ),
]


@pytest.mark.parametrize(("caps", "delivered", "now", "expected"), PACING_CASES)
def test_pacing_says_on_track_or_behind(slot, caps, delivered, now, expected):
    campaign = CampaignFactory(starts_at=START, **caps)
    DailyStat.objects.create(
        creative=CreativeFactory(campaign=campaign), slot=slot, day=DAY, impressions=delivered
    )
    assert [(p.status, p.expected) for p in campaign_pacing(campaign, now=now)] == expected


def test_the_report_page_shows_pacing(client, ad_manager, slot):
    campaign = CampaignFactory(
        starts_at=dt.datetime(2026, 1, 1, tzinfo=BERLIN),
        ends_at=dt.datetime(2099, 1, 1, tzinfo=BERLIN),
        max_impressions=1_000_000_000,
    )
    client.force_login(ad_manager)
    html = client.get(reverse("admin:ads_campaign_report", args=[campaign.pk])).content.decode()
    assert "Auslieferung (Pacing)" in html and "im Rückstand" in html


def test_counts_carry_the_section_of_the_page_into_the_statistics(slot, client):
    from ads import counting
    from ads.selectors import PageContext, eligible_set
    from ads.services import ad_counts_flush
    from tests.ads.conftest import HUMAN_UA

    politik = SectionFactory(name="Politik")
    creative = CreativeFactory()
    client.get(
        reverse("ads:slot", args=["article_top"]) + f"?p=section&s={politik.pk}",
        HTTP_USER_AGENT=HUMAN_UA,
    )
    client.get(reverse("ads:slot", args=["article_top"]) + "?p=home", HTTP_USER_AGENT=HUMAN_UA)
    # The click link rendered for the section page names the section too.
    html = eligible_set("article_top", PageContext("section", politik.pk)).candidates[0].html
    click = html.split('href="', 1)[1].split('"', 1)[0]
    client.get(click, HTTP_USER_AGENT=HUMAN_UA)
    assert {(k.kind, k.section_id) for k in counting.pending()} == {
        ("i", politik.pk),
        ("i", 0),
        ("c", politik.pk),
    }
    ad_counts_flush()
    rows = {
        (s.section_id, s.impressions, s.clicks) for s in DailyStat.objects.filter(creative=creative)
    }
    assert rows == {(politik.pk, 1, 1), (None, 1, 0)}


@pytest.mark.parametrize(
    ("language", "singular", "plural"),
    [
        ("de", ("1 Einblendung", "1 Klick"), ("2 Einblendungen", "2 Klicks")),
        ("en", ("1 impression", "1 click"), ("2 impressions", "2 clicks")),
    ],
)
def test_the_report_says_one_click_and_two_clicks_in_german_and_english(
    client, ad_manager, slot, language, singular, plural
):
    """Every count on the report page (the total, the chart's day titles) is worded for
    its number: "1 Klick", never "1 Klicks"."""
    client.force_login(ad_manager)
    for count, words in ((1, singular), (2, plural)):
        campaign = CampaignFactory(name=f"Kampagne {count}")
        DailyStat.objects.create(
            creative=CreativeFactory(campaign=campaign),
            slot=slot,
            day=DAY,
            impressions=count,
            viewable_impressions=count,
            clicks=count,
        )
        url = reverse("admin:ads_campaign_report", args=[campaign.pk])
        html = client.get(
            url, {"von": "2026-12-06", "bis": "2026-12-06"}, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()
        impressions, clicks = words
        assert f": {impressions}, {clicks}, CTR" in html  # the total
        day = {"de": "06.12.2026", "en": "12/06/2026"}[language]  # the language's order
        assert f"{day}: {impressions}</title>" in html  # the chart's bars
        assert f"{day}: {clicks}</title>" in html
        if count == 1:
            assert f"{clicks}s" not in html and f"{impressions}en" not in html
