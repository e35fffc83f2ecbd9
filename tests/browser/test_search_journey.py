"""A reader searches the site in a real browser; PostgreSQL's German stemming makes
an inflected form find the article."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.data import make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_for_an_inflected_german_word_finds_the_article(page):
    article = make_reader_site()  # headline: "... soll Häuser mit Abwärme heizen"
    page.goto("/")
    search = page.get_by_role("search").first
    search.get_by_role("searchbox").fill("Häusern")
    search.get_by_role("searchbox").press("Enter")

    expect(page).to_have_url(re.compile(r"/suche/\?q=H%C3%A4usern"))
    expect(page.get_by_role("status")).to_contain_text("Ein Artikel zu „Häusern“")
    result = page.locator(".search-result")
    expect(result).to_have_count(1)
    # The matched word is highlighted in the headline.
    expect(result.locator("mark").first).to_have_text("Häuser")
    result.get_by_role("link").click()
    expect(page).to_have_url(re.compile(re.escape(article.get_absolute_url()) + "$"))
    expect(page.locator("h1")).to_contain_text(article.headline)
