"""axe-core (axe-playwright-python) on the production-shaped demo site: no violation of
any impact (minor and moderate too) on the reader pages, German and English, as a
phone (375 px) and a desktop (1280 px)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import launched_chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PAGES = ("home", "article", "english_article", "section", "author", "search")
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as chromium:
        yield chromium


def violations(page) -> list[str]:
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        f"{[', '.join(node['target']) for node in v['nodes']][:4]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_reader_pages_have_no_accessibility_violations_at_all(production_site, browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="de-DE")
    page = context.new_page()
    found = {}
    paths = [production_site.pages[name] for name in PAGES if production_site.pages.get(name)]
    paths += ["/en/", "/en/suche/?q=Strom", "/archiv/", "/thema/landtag/"]
    try:
        for path in paths:
            # The browser resolves only "localhost" (tests/browser/conftest.py).
            response = page.goto(production_site.url(path).replace("127.0.0.1", "localhost"))
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("networkidle")  # ads and comments fill in by script
            problems = violations(page)
            if problems:
                found[path] = problems
    finally:
        context.close()
    assert not found, f"axe-core ({viewport}): {found}"
