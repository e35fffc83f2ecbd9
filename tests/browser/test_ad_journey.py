"""The ad manager's journey in a real browser: a campaign with an image creative for
the article page, shown labelled "ANZEIGE", clicked through the signed redirect and
counted in the report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ads.models import Advertiser, Campaign, DailyStat, Slot
from ads.services import ad_counts_flush
from newsroom.roles import AD_MANAGER
from tests.browser.checks import save_screenshot
from tests.browser.conftest import admin_login, choose_autocomplete
from tests.browser.data import make_reader_site
from tests.browser.people import staff_member
from tests.factories import make_image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ad_manager_books_image_ad_on_article_page_and_sees_the_click_in_the_report(
    new_page, site, tmp_path
):
    # The advertiser's landing page: on the live server, so nothing leaves the machine
    # (Chromium resolves no other host names, see CHROMIUM_ARGS).
    landing_page = f"{site}/?aktion=herbst"
    article = make_reader_site()
    Slot.objects.create(
        code="article_sidebar",
        name="Artikel rechts",
        page_types=["article"],
        position=Slot.Position.SIDEBAR,
        mobile_width=300,
        mobile_height=250,
        desktop_width=300,
        desktop_height=250,
        fallback=Slot.Fallback.COLLAPSE,
    )
    Advertiser.objects.create(name="Fahrradhaus Grün")
    banner = tmp_path / "herbstaktion.png"
    banner.write_bytes(make_image_bytes(300, 250, "PNG", color=(20, 120, 60)))

    manager = new_page()
    admin_login(manager, staff_member("alex", AD_MANAGER))
    manager.goto("/admin/ads/campaign/add/")
    choose_autocomplete(manager, "advertiser", "Fahrradhaus Grün")
    manager.fill("#id_name", "Herbstaktion")
    manager.locator("#id_slots_from option", has_text="Artikel rechts").dblclick()
    manager.get_by_label("Artikelseite").check()
    manager.locator(".inline-group .add-row a").click()
    creative = manager.locator(".inline-related:not(.empty-form)").last
    creative.locator("input[name$='-name']").fill("Banner Herbst")
    creative.locator("select[name$='-kind']").select_option("image")
    creative.locator("input[name$='-click_url']").fill(landing_page)
    creative.locator("input[name$='-image']").set_input_files(banner)
    creative.locator("input[name$='-alt_text']").fill("Herbstaktion im Fahrradhaus Grün")
    manager.click("input[name=_save]")
    expect(manager.locator(".messagelist .success")).to_be_visible()
    campaign = Campaign.objects.get(name="Herbstaktion")
    assert campaign.creatives.get().image

    # A reader sees the ad beside the article, labelled as advertising.
    reader = new_page()
    reader.goto(article.get_absolute_url())
    slot = reader.locator("[data-ad-slot=article_sidebar]")
    expect(slot.locator(".ad-slot__label")).to_have_text("ANZEIGE")
    ad_link = slot.locator("a.ad-creative")
    expect(ad_link.locator("img")).to_have_attribute("alt", "Herbstaktion im Fahrradhaus Grün")
    assert "sponsored" in ad_link.get_attribute("rel")
    assert "/anzeigen/klick/" in ad_link.get_attribute("href")
    save_screenshot(reader, "article-with-ad-1280")

    with reader.context.expect_page() as landing_info:
        ad_link.click()
    landing = landing_info.value
    landing.wait_for_load_state()
    assert landing.url == landing_page

    # Counts are buffered; the periodic flush moves them into the statistics.
    ad_counts_flush()
    stat = DailyStat.objects.get(creative__campaign=campaign)
    assert (stat.impressions, stat.clicks) == (1, 1)

    manager.goto("/admin/ads/campaign/")
    manager.get_by_role("row", name="Herbstaktion").get_by_role("link", name="Bericht").click()
    expect(manager.locator("#content")).to_contain_text("1 Einblendung, 1 Klick")
    per_day = manager.locator("table").filter(
        has=manager.get_by_role("columnheader", name="Tag", exact=True)
    )
    report_row = per_day.locator("tbody tr").last
    expect(report_row.locator("td").nth(1)).to_have_text("1")  # impressions
    expect(report_row.locator("td").nth(3)).to_have_text("1")  # clicks
