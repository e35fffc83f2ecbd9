"""How the reader pages look at phone and desktop width: screenshots for people to
look at (var/screenshots/, overwritten on every run) and no sideways scrolling on
phones."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.data import add_discussion, make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("width", WIDTHS)
def test_home_article_section_and_comments_fit_the_screen(new_page, width):
    article = make_reader_site()
    add_discussion(article)
    page = new_page(viewport=WIDTHS[width])
    pixels = WIDTHS[width]["width"]
    pages = {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "search": "/suche/?q=Rechenzentren",
        "article": article.get_absolute_url(),
    }
    overflowing = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        if name == "article":
            # The script reveals the comment forms once the reader's session state is in.
            expect(page.locator("#kommentar-formular")).to_be_visible()
            expect(page.locator("#kommentare article.comment")).to_have_count(3)
            # The spam trap ("Website (bitte leer lassen)") is out of every reader's sight.
            trap = page.locator("#kommentar-website").bounding_box()
            assert trap["x"] + trap["width"] <= 0, trap
        save_screenshot(page, f"{name}-{pixels}")
        if width == "phone":
            overflow = horizontal_overflow(page)
            if overflow:
                overflowing[url] = overflow
    save_screenshot(page, f"comments-{pixels}", locator=page.locator("#kommentare"))
    assert not overflowing, f"pages scroll sideways at {pixels} px: {overflowing}"
