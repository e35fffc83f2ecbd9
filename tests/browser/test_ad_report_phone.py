"""An ad manager reads a campaign's report on a phone: the daily chart shrinks to
the screen instead of scrolling the page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ads.models import Advertiser, Campaign
from newsroom.roles import AD_MANAGER
from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE, admin_login
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_campaign_report_fits_a_phone_and_keeps_its_size_on_a_desktop(new_page):
    advertiser = Advertiser.objects.create(name="Fahrradhaus Grün")
    campaign = Campaign.objects.create(advertiser=advertiser, name="Herbstaktion")
    manager = staff_member("alex", AD_MANAGER)
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        admin_login(page, manager)
        page.goto(f"/admin/ads/campaign/{campaign.pk}/bericht/")
        chart = page.locator("svg.ad-report-chart")
        expect(chart).to_be_visible()
        save_screenshot(page, f"ad-report-{viewport['width']}")
        box = chart.bounding_box()
        if viewport is PHONE:
            assert not horizontal_overflow(page), horizontal_overflow(page)
            assert box["width"] < PHONE["width"]
        else:
            assert (round(box["width"]), round(box["height"])) == (600, 180)
