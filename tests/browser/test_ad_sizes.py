"""HTML creatives take the size they declare per breakpoint and are never clipped on a
375 px phone; the 300×600 sidebar slot shrinks to its creative and disappears when
nothing fills it (no tall empty box)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ads.models import Advertiser, Campaign, Creative, Slot
from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.data import make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A tag that lays itself out for the width it gets: 728×90 on large screens,
# a 300×250 rectangle on phones (what the creative declares for them). Inside the
# iframe a media query sees the iframe's width, not the phone's.
RESPONSIVE_TAG = (
    "<style>.box{width:728px;height:90px;background:#1d6b46;color:#fff;font:16px sans-serif;"
    "display:flex;align-items:center;justify-content:space-between;box-sizing:border-box;"
    "padding:0 12px}@media (max-width:400px){.box{width:300px;height:250px;"
    "flex-direction:column;justify-content:center}}</style>"
    '<div class="box"><span>Links</span><a id="go" href="%%CLICK_URL%%" target="_blank" '
    'style="color:#fff">Rechts</a></div>'
)


def campaign(name: str = "Aktion", **fields) -> Campaign:
    advertiser, _ = Advertiser.objects.get_or_create(name="Fahrradhaus Grün")
    return Campaign.objects.create(advertiser=advertiser, name=name, **fields)


def test_an_html_creative_takes_its_declared_size_and_is_not_clipped_on_a_phone(new_page):
    article = make_reader_site()
    Slot.objects.create(
        code="article_top",
        name="Artikel oben",
        page_types=["article"],
        mobile_width=320,
        mobile_height=100,
        desktop_width=728,
        desktop_height=90,
        fallback=Slot.Fallback.COLLAPSE,
    )
    Creative.objects.create(
        campaign=campaign(),
        name="Responsiv",
        kind=Creative.Kind.HTML,
        html=RESPONSIVE_TAG,
        click_url="https://fahrradhaus.example/",
        mobile_width=300,
        mobile_height=250,
    )
    for viewport, size in ((PHONE, (300, 250)), (DESKTOP, (728, 90))):
        page = new_page(viewport=viewport)
        page.goto(article.get_absolute_url())
        frame_element = page.locator("[data-ad-slot=article_top] iframe")
        expect(frame_element).to_be_visible()
        frame = page.frame_locator("[data-ad-slot=article_top] iframe")
        expect(frame.locator("#go")).to_be_visible()
        box = frame_element.bounding_box()
        assert (round(box["width"]), round(box["height"])) == size, viewport
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        inner = frame.locator("html").evaluate(
            "e => [e.scrollWidth, e.scrollHeight, innerWidth, innerHeight]"
        )
        assert inner[0] <= inner[2] and inner[1] <= inner[3], inner  # nothing cut off
        go = frame.locator("#go").bounding_box()
        assert go["x"] + go["width"] <= box["x"] + box["width"]
        assert not horizontal_overflow(page), horizontal_overflow(page)
        save_screenshot(page, f"ad-html-sizes-{viewport['width']}", full_page=False)


def sidebar_slot() -> Slot:
    return Slot.objects.create(
        code="article_sidebar",
        name="Artikel Seitenleiste",
        page_types=["article"],
        position=Slot.Position.SIDEBAR,
        mobile_width=300,
        mobile_height=250,
        desktop_width=300,
        desktop_height=600,
        fallback=Slot.Fallback.HOUSE,
    )


def test_the_sidebar_slot_fits_its_creative_and_collapses_when_nothing_fills_it(new_page):
    article = make_reader_site()
    sidebar_slot()
    Creative.objects.create(
        campaign=campaign(max_per_reader_per_day=1),
        name="Text",
        kind=Creative.Kind.TEXT,
        headline="Lastenräder im Herbst",
        text="Probefahrt am Samstag.",
        click_url="https://fahrradhaus.example/",
    )
    reader = new_page()
    reader.goto(article.get_absolute_url())
    ad = reader.locator("[data-ad-slot=article_sidebar]")
    expect(ad.locator(".ad-creative")).to_be_visible()
    height = ad.bounding_box()["height"]
    assert height < 250, height  # a text ad, not a 600 px box
    save_screenshot(reader, "ad-sidebar-filled-1280", full_page=False)

    # The same reader again: the campaign's one view a day is used up, nothing else is
    # booked (not even a house ad): the slot goes away instead of a tall empty box.
    reader.goto(article.get_absolute_url())
    expect(ad).to_be_hidden()
    save_screenshot(reader, "ad-sidebar-collapsed-1280", full_page=False)


def test_an_unbooked_sidebar_slot_is_not_rendered_at_all(new_page):
    article = make_reader_site()
    sidebar_slot()
    reader = new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("#artikel-titel")).to_be_visible()
    assert reader.locator("[data-ad-slot=article_sidebar]").count() == 0
