"""How the reader pages look at phone and desktop width: screenshots for people to
look at (var/screenshots/, overwritten on every run) and no sideways scrolling on
phones."""

import pytest

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.data import make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("width", WIDTHS)
def test_home_article_and_section_pages_fit_the_screen(new_page, width):
    article = make_reader_site()
    page = new_page(viewport=WIDTHS[width])
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
    }
    overflowing = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        save_screenshot(page, f"{name}-{WIDTHS[width]['width']}")
        if width == "phone":
            overflow = horizontal_overflow(page)
            if overflow:
                overflowing[url] = overflow
    assert not overflowing, f"pages scroll sideways at 375 px: {overflowing}"
