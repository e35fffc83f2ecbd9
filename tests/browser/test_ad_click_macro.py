"""Clicks inside a third-party HTML creative count: the tag finds the signed click
redirect through the %%CLICK_URL%% macro or the clickTag variable, inside its
sandboxed iframe, and the reader lands on the advertiser's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ads import counting
from ads.models import Advertiser, Campaign, Creative, DailyStat, Slot
from ads.services import ad_counts_flush
from tests.browser.checks import save_screenshot
from tests.browser.data import make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAG = (
    '<div style="font:16px sans-serif;background:#1d6b46;color:#fff;height:250px;'
    'display:flex;flex-direction:column;justify-content:center;align-items:center;gap:12px">'
    '<a id="macro" href="%%CLICK_URL%%" target="_blank" style="color:#fff">Zum Angebot</a>'
    '<button id="clicktag" type="button" onclick="window.open(clickTag)">Mehr erfahren</button>'
    "</div>"
)


def test_clicks_inside_a_sandboxed_html_creative_are_counted(new_page, site, settings):
    # Two clicks of one reader within minutes would be one click and a replay;
    # here both ways of clicking are under test, so no replay window.
    settings.ADS_REPLAY_WINDOW_SECONDS = 0
    landing_page = f"{site}/?aktion=html"
    article = make_reader_site()
    slot = Slot.objects.create(
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
    campaign = Campaign.objects.create(
        advertiser=Advertiser.objects.create(name="Fahrradhaus Grün"), name="HTML-Aktion"
    )
    creative = Creative.objects.create(
        campaign=campaign,
        name="HTML-Tag",
        kind=Creative.Kind.HTML,
        html=TAG,
        click_url=landing_page,
    )

    reader = new_page()
    reader.goto(article.get_absolute_url())
    ad = reader.locator("[data-ad-slot=article_sidebar]")
    expect(ad.locator(".ad-slot__label")).to_have_text("ANZEIGE")
    frame = reader.frame_locator("[data-ad-slot=article_sidebar] iframe")
    expect(frame.locator("#macro")).to_be_visible()
    save_screenshot(reader, "ad-html-creative-1280")

    with reader.context.expect_page() as landing_info:
        frame.locator("#macro").click()
    landing = landing_info.value
    landing.wait_for_load_state()
    assert landing.url == landing_page

    with reader.context.expect_page() as landing_info:
        frame.locator("#clicktag").click()
    landing = landing_info.value
    landing.wait_for_load_state()
    assert landing.url == landing_page

    assert {"i", "c"} <= {key.kind for key in counting.pending()}
    ad_counts_flush()
    stat = DailyStat.objects.get(creative=creative, slot=slot)
    assert (stat.impressions, stat.clicks, stat.invalid_clicks) == (1, 2, 0)
