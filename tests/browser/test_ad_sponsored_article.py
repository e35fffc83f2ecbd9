"""A reader on a phone and a desktop sees an advertorial and a political ad labelled as
such, with the sponsor, in the teaser and on the page; the political ad's transparency
notice is one tap away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_sponsored_articles_are_labelled_in_teasers_and_on_the_page(new_page):
    section = SectionFactory(name="Wirtschaft", slug="wirtschaft")
    ArticleFactory(
        published=True,
        section=section,
        kicker="",
        headline="Sonnenstrom vom eigenen Dach",
        slug="sonnenstrom",
        kind=Article.Kind.ADVERTORIAL,
        sponsor="Stadtwerke Beispielstadt",
    )
    political = ArticleFactory(
        published=True,
        section=section,
        kicker="",
        headline="Mehr Busse für das Land",
        slug="mehr-busse",
        kind=Article.Kind.POLITICAL_AD,
        sponsor="Partei für Nahverkehr",
        transparency_notice="Partei für Nahverkehr, Musterstraße 1, 10115 Berlin. "
        "Landtagswahl 2027. Bezahlt: 4.800 Euro, 1.–31. März. Kein Targeting.",
    )
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        page.goto("/wirtschaft/")
        teaser = page.locator(".teaser", has_text="Sonnenstrom vom eigenen Dach")
        expect(teaser.locator(".sponsored-label__tag")).to_have_text("ANZEIGE")
        expect(teaser).to_contain_text("Auftraggeber: Stadtwerke Beispielstadt")
        political_teaser = page.locator(".teaser", has_text="Mehr Busse")
        expect(political_teaser.locator(".sponsored-label__tag")).to_have_text("POLITISCHE ANZEIGE")
        save_screenshot(page, f"sponsored-teasers-{viewport['width']}", full_page=False)
        page.goto(political.get_absolute_url())
        page.get_by_role("link", name="Transparenzhinweis").click()
        notice = page.locator(".transparency-notice")
        expect(notice).to_be_in_viewport()
        expect(notice).to_contain_text("Verordnung (EU) 2024/900")
        assert not horizontal_overflow(page), horizontal_overflow(page)
        save_screenshot(page, f"political-ad-{viewport['width']}")
