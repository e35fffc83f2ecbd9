"""Viewability measured in Chromium with a real scroll: an impression is viewable
when at least half of the creative was on screen for one second; served and
viewed are counted apart (every slot is served with the page's one request, also
one far below), and a slot scrolled only partly into view is served but not viewed."""

from __future__ import annotations

import time

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


def book_bottom_ad() -> tuple[Slot, Creative]:
    slot = Slot.objects.create(
        code="article_bottom",
        name="Unter dem Artikel",
        page_types=["article"],
        position=Slot.Position.BELOW,
        mobile_width=320,
        mobile_height=100,
        desktop_width=728,
        desktop_height=90,
        fallback=Slot.Fallback.COLLAPSE,
    )
    campaign = Campaign.objects.create(
        advertiser=Advertiser.objects.create(name="Bäckerei Korn"), name="Brötchen"
    )
    creative = Creative.objects.create(
        campaign=campaign,
        name="Text",
        kind=Creative.Kind.TEXT,
        headline="Frische Brötchen",
        text="Jeden Morgen ab sechs Uhr.",
        click_url="https://baeckerei.example/",
    )
    return slot, creative


def kinds() -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, value in counting.pending().items():
        totals[key.kind] = totals.get(key.kind, 0) + value
    return totals


def scroll_to(page, target_y: float) -> None:
    """Scroll with the mouse wheel (real wheel events, as a reader does) to ``target_y``."""
    page.mouse.move(400, 400)
    for _ in range(40):
        current = page.evaluate("window.scrollY")
        delta = target_y - current
        if abs(delta) < 2:
            return
        page.mouse.wheel(0, max(min(delta, 400), -400))
        page.wait_for_timeout(60)


def creative_top(page) -> float:
    return page.evaluate(
        "document.querySelector('[data-ad-slot=article_bottom] .ad-creative')"
        ".getBoundingClientRect().top + window.scrollY"
    )


def visible_share(page) -> float:
    return page.evaluate(
        """() => {
          const r = document.querySelector('[data-ad-slot=article_bottom] .ad-creative')
            .getBoundingClientRect();
          const shown = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
          return shown / r.height;
        }"""
    )


def test_an_ad_scrolled_into_view_for_a_second_counts_as_viewed(new_page):
    article = make_reader_site()
    slot, creative = book_bottom_ad()
    reader = new_page()
    reader.goto(article.get_absolute_url())
    ad = reader.locator("[data-ad-slot=article_bottom]")
    # Far below, yet served with the page's one request (static/js/page.js): counted
    # as served at once, not as viewed.
    expect(ad).to_have_attribute("data-ad-loaded", "1")
    reader.wait_for_timeout(1500)
    assert kinds() == {"i": 1}

    page_height = reader.evaluate("document.documentElement.scrollHeight")
    scroll_to(reader, page_height)
    expect(ad.locator(".ad-creative")).to_be_visible()
    assert visible_share(reader) == 1
    save_screenshot(reader, "ad-viewable-1280", full_page=False)
    deadline = time.monotonic() + 8
    while "v" not in kinds() and time.monotonic() < deadline:
        reader.wait_for_timeout(200)
    assert kinds() == {"i": 1, "v": 1}
    ad_counts_flush()
    stat = DailyStat.objects.get(creative=creative, slot=slot)
    assert (stat.impressions, stat.viewable_impressions) == (1, 1)


def test_an_ad_only_partly_scrolled_into_view_is_served_but_not_viewed(new_page):
    article = make_reader_site()
    book_bottom_ad()
    reader = new_page()
    reader.goto(article.get_absolute_url())
    ad = reader.locator("[data-ad-slot=article_bottom]")
    viewport = reader.viewport_size["height"]

    # Close to the ad (served with the page), not far enough to show half of it.
    scroll_to(reader, ad.evaluate("e => e.getBoundingClientRect().top + scrollY") - viewport)
    expect(ad.locator(".ad-creative")).to_be_attached()
    scroll_to(reader, creative_top(reader) - viewport + 15)
    share = visible_share(reader)
    assert 0 < share < 0.5, share
    reader.wait_for_timeout(2500)  # longer than one second plus the beacon's batch delay
    reader.close()  # leaving the page sends whatever is queued
    time.sleep(0.5)
    assert kinds() == {"i": 1}
