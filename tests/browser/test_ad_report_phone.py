"""An ad manager reads a campaign's report on a phone: the daily chart shrinks to
the screen instead of scrolling the page sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ads.models import Advertiser, Campaign, Creative, DailyStat, Slot
from newsroom.roles import AD_MANAGER
from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE, admin_login
from tests.browser.people import staff_member
from tests.factories import SectionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_campaign_report_fits_a_phone_and_keeps_its_size_on_a_desktop(new_page):
    advertiser = Advertiser.objects.create(name="Fahrradhaus Grün")
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        advertiser=advertiser,
        name="Herbstaktion",
        starts_at=timezone.now() - timedelta(days=20),
        ends_at=timezone.now() + timedelta(days=10),
        max_impressions=60_000,
    )
    section = SectionFactory(name="Wirtschaft")
    slots = [
        Slot.objects.create(code="article_top", name="Artikel oben"),
        Slot.objects.create(code="article_sidebar", name="Artikel rechts"),
    ]
    creatives = [
        Creative.objects.create(
            campaign=campaign,
            name=name,
            kind="text",
            headline="H",
            text="T",
            click_url="https://x.example/",
        )
        for name in ("Banner Herbst", "Text Herbst")
    ]
    for day in range(20):
        for index, (slot, creative) in enumerate(zip(slots, creatives, strict=True)):
            served = 800 + 37 * day - 300 * index
            DailyStat.objects.create(
                creative=creative,
                slot=slot,
                section=section if index else None,
                day=today - timedelta(days=day),
                impressions=served,
                viewable_impressions=served * 6 // 10,
                clicks=(day % 5) + index,
                invalid_impressions=served // 20,
                invalid_clicks=day % 2,
            )
    manager = staff_member("alex", AD_MANAGER)
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        admin_login(page, manager)
        page.goto(f"/admin/ads/campaign/{campaign.pk}/bericht/")
        chart = page.locator("svg.ad-report-chart")
        expect(chart).to_be_visible()
        save_screenshot(page, f"ad-report-{viewport['width']}")
        page.goto(f"/en/admin/ads/campaign/{campaign.pk}/bericht/")
        save_screenshot(page, f"ad-report-en-{viewport['width']}")
        page.goto(f"/admin/ads/campaign/{campaign.pk}/bericht/")
        box = chart.bounding_box()
        if viewport is PHONE:
            assert not horizontal_overflow(page), horizontal_overflow(page)
            assert box["width"] < PHONE["width"]
        else:
            assert (round(box["width"]), round(box["height"])) == (600, 310)
        expect(page.locator("td.ad-pacing--behind, td.ad-pacing--on_track")).to_be_visible()
