"""A live ticker in two browsers: an editor posts from the ticker desk while a reader
keeps the page open and sees the entry arrive within the polling interval — from
the page cache, purged on commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core import pagecache
from newsroom.roles import EDITOR
from tests.browser.conftest import PHONE, admin_login, screenshot_dir
from tests.browser.people import staff_member
from tests.factories import ArticleFactory, SectionFactory
from ticker import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def running_ticker(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.TICKER_POLL_SECONDS = 2
    pagecache.local_entries.clear()
    editor = staff_member("cvd", EDITOR)
    article = ArticleFactory(
        published=True,
        section=SectionFactory(name="Politik", slug="politik"),
        slug="wahlabend-live",
        headline="Der Wahlabend im Ticker",
    )
    ticker = services.ticker_start(user=editor, article=article)
    start = timezone.now() - timedelta(hours=1)
    for minute in range(0, 60, 6):
        services.entry_add(
            user=editor,
            ticker=ticker,
            body=f"<p>Stand um Minute {minute}: die Auszählung läuft weiter, "
            "Wahlbezirk für Wahlbezirk, und die Stimmung im Rathaus bleibt angespannt.</p>",
            time=start + timedelta(minutes=minute),
        )
    yield editor, ticker
    pagecache.local_entries.clear()


def _post_entry(desk, text: str) -> None:
    body = desk.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    expect(body).to_have_attribute("contenteditable", "true", timeout=10_000)
    body.click()
    desk.keyboard.type(text)
    desk.get_by_role("button", name="Eintrag veröffentlichen").click()
    expect(desk.locator(".messagelist")).to_contain_text("Eintrag veröffentlicht.")


def test_reader_sees_the_editors_entry_arrive_without_reloading(new_page, running_ticker):
    editor, ticker = running_ticker
    reader = new_page(PHONE)
    reader.goto("/politik/wahlabend-live/")
    expect(reader.locator("[data-entry]")).to_have_count(10)
    assert reader.evaluate("document.querySelector('[data-ticker]').dataset.poll") == "2"

    desk = new_page()
    admin_login(desk, editor)
    desk.goto(f"/admin/ticker/ticker/{ticker.pk}/change/")
    _post_entry(desk, "Erste Hochrechnung: Berger vorn.")
    desk.screenshot(path=screenshot_dir() / "ticker-desk-1280.png", full_page=True)

    # At the top of the list: the entry appears first, without a reload, within the interval.
    first = reader.locator("[data-entry]").first
    expect(first).to_contain_text("Erste Hochrechnung: Berger vorn.", timeout=6_000)
    expect(reader.locator("[data-ticker-notice]")).to_be_hidden()

    # Scrolled away from the newest entries: a notice instead of a jumping page.
    reader.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    _post_entry(desk, "Zweite Hochrechnung bestätigt den Trend.")
    notice = reader.locator("[data-ticker-notice] button")
    expect(notice).to_have_text("1 neuer Eintrag", timeout=6_000)
    reader.screenshot(path=screenshot_dir() / "ticker-reader-notice-375.png")
    notice.click()
    expect(reader.locator("[data-ticker-notice]")).to_be_hidden()
    expect(reader.locator("[data-entry]").first).to_contain_text("Zweite Hochrechnung")
    expect(reader.locator("[data-entry]")).to_have_count(12)

    # A removal reaches the open page too.
    desk.locator("[data-entry]").first.get_by_role("button", name="Entfernen").click()
    expect(reader.locator("[data-entry]")).to_have_count(11, timeout=6_000)
    expect(reader.get_by_text("Zweite Hochrechnung")).to_have_count(0)
