"""Readers see a ticker without reloading, from cached answers: the ticker page and its
update endpoint (ETag, 304, short max-age) stay correct after every entry change."""

from __future__ import annotations

import pytest
from django.test import Client

from core import pagecache
from tests.factories import ArticleFactory
from ticker import services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]

PAGE = "/politik/wahlabend-live/"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.local_entries.clear()
    yield
    pagecache.local_entries.clear()


@pytest.fixture
def updates_url(ticker):
    return f"/liveticker/{ticker.pk}/"


def _write(django_capture_on_commit_callbacks, change):
    """Run a service as the admin does: its purges run when it commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return change()


def test_ticker_page_lists_entries_newest_first_pinned_first_with_key_events_on_top(client, add):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    add("<p>Erste Prognose.</p>", time=now - timedelta(minutes=30), key_event=True)
    add("<p>Hinweis: Ergebnisse ab 18 Uhr.</p>", time=now - timedelta(minutes=60), pinned=True)
    add("<p>Zweite Hochrechnung.</p>", time=now - timedelta(minutes=5))
    page = client.get(PAGE).text
    html = page[page.index('id="liveticker"') :]  # the body part (the JSON-LD lists them too)
    pinned, newest, older = (
        html.index("Hinweis: Ergebnisse"),
        html.index("Zweite Hochrechnung"),
        html.index("Erste Prognose.</p>"),
    )
    assert pinned < newest < older
    summary = html.index("Das Wichtigste")
    assert summary < pinned and html.index("Erste Prognose", summary) < pinned
    assert 'data-updates="/liveticker/' in html and "ticker/ticker.js" in html


def test_entries_held_for_review_stay_hidden_from_readers(client, ticker, journalist):
    services.entry_add(user=journalist, ticker=ticker, body="<p>Noch ungeprüft.</p>")
    assert "Noch ungeprüft" not in client.get(PAGE).text
    assert "Noch ungeprüft" not in client.get(f"/liveticker/{ticker.pk}/").text


def test_update_endpoint_is_small_public_json_with_etag_and_304(client, add, updates_url):
    entry = add("<p>Wahllokale geschlossen.</p>")
    response = client.get(updates_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=5" in cache_control
    assert "s-maxage=5" in cache_control  # a CDN learns of no purge: no longer than browsers
    data = response.json()
    assert data["running"] is True
    assert data["entries"][0][0] == entry.pk
    assert "Wahllokale geschlossen" in data["html"][str(entry.pk)]
    etag = response["ETag"]
    again = client.get(updates_url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""


def test_update_endpoint_answers_404_for_unpublished_articles_and_plain_articles(
    client, section, editor
):
    draft = ArticleFactory(section=section)
    services.ticker_start(user=editor, article=draft)
    plain = ArticleFactory(published=True, section=section)
    assert client.get(f"/liveticker/{draft.pk}/").status_code == 404
    assert client.get(f"/liveticker/{plain.pk}/").status_code == 404
    assert client.get(f"/en/liveticker/{draft.pk}/").status_code == 404


@pytest.mark.usefixtures("page_cache")
def test_cached_page_and_update_endpoint_follow_every_add_correct_and_remove(
    add, editor, updates_url, django_capture_on_commit_callbacks
):
    reader = Client()
    first = _write(django_capture_on_commit_callbacks, lambda: add("<p>Erster Stand.</p>"))
    for url in (PAGE, updates_url):
        assert reader.get(url)["X-Page-Cache"] == "MISS"
        assert reader.get(url)["X-Page-Cache"] == "HIT"
    etag = reader.get(updates_url)["ETag"]
    # An unchanged ticker: the cached answer says 304 to a poll with the ETag.
    cached = reader.get(updates_url, headers={"if-none-match": etag})
    assert cached.status_code == 304

    steps = [
        ("add", lambda: add("<p>Zweiter Stand.</p>"), "Zweiter Stand", None),
        (
            "correct",
            lambda: services.entry_correct(
                user=editor, entry=first, body="<p>Erster Stand, korrigiert.</p>"
            ),
            "Erster Stand, korrigiert",
            None,
        ),
        ("remove", lambda: services.entry_remove(user=editor, entry=first), None, "Erster Stand"),
    ]
    for _name, change, shown, gone in steps:
        _write(django_capture_on_commit_callbacks, change)
        poll = reader.get(updates_url, headers={"if-none-match": etag})
        assert poll.status_code == 200, _name
        etag = poll["ETag"]
        page = reader.get(PAGE).text
        data = poll.json()
        ids = [pk for pk, _version in data["entries"]]
        if shown:
            assert shown in page
            assert any(shown in html for html in data["html"].values())
        if gone:
            assert gone not in page
            assert first.pk not in ids
        assert reader.get(updates_url, headers={"if-none-match": etag}).status_code == 304


def test_corrected_entry_is_marked_for_readers(client, add, editor, updates_url):
    entry = add("<p>Falsche Zahl.</p>")
    services.entry_correct(user=editor, entry=entry, body="<p>Richtige Zahl.</p>")
    assert "Aktualisiert um" in client.get(PAGE).text
    assert "Aktualisiert um" in client.get(updates_url).json()["html"][str(entry.pk)]


def test_finished_ticker_stays_readable_and_says_it_ended(client, ticker, add):
    add("<p>Das war der Wahlabend.</p>", closing=True)
    html = client.get(PAGE).text
    assert "Das war der Wahlabend" in html
    assert "Dieser Liveticker ist beendet" in html
    assert client.get(f"/liveticker/{ticker.pk}/").json()["running"] is False


def test_ads_appear_between_entries_at_the_configured_interval(client, add, settings):
    from ads.models import Slot
    from tests.ads.factories import CreativeFactory, SlotFactory

    # after_n beyond the intro: the body's own inline ad stays out of the count.
    SlotFactory(code="article_inline", position=Slot.Position.INLINE, after_n=50)
    CreativeFactory()
    settings.TICKER_AD_INTERVAL = 2
    for number in range(5):
        add(f"<p>Eintrag {number}.</p>")
    html = client.get(PAGE).text
    ticker = html[
        html.index('id="liveticker"') : html.index("</section>", html.index('id="liveticker"'))
    ]
    parts = ticker.split('data-ad-slot="article_inline"')
    # After the 2nd and the 4th entry, never after the last one.
    assert [part.count('data-entry="') for part in parts] == [2, 2, 1]
    settings.TICKER_AD_INTERVAL = 0
    assert 'data-ad-slot="article_inline"' not in client.get(PAGE).text.split('id="liveticker"')[1]


def test_fronts_show_live_badge_and_latest_entry_of_a_running_ticker_only(
    client, ticker, add, section, django_capture_on_commit_callbacks
):
    ArticleFactory(published=True, section=section, headline="Ein gewöhnlicher Bericht")
    _write(django_capture_on_commit_callbacks, lambda: add("<p>Erste Prognose liegt vor.</p>"))
    for url in ("/", "/politik/"):
        html = client.get(url).text
        teaser = html[html.index("Der Wahlabend im Ticker") - 400 :]
        assert '<span class="live-badge">LIVE</span>' in teaser[:500]
        assert "Erste Prognose liegt vor." in teaser
        assert html.count('class="live-badge"') == 1  # the ordinary report has none
    # A new entry replaces the latest one on the fronts (the cached index is dropped).
    _write(django_capture_on_commit_callbacks, lambda: add("<p>Zweite Hochrechnung.</p>"))
    assert "Zweite Hochrechnung." in client.get("/").text
    # Ended: no badge, the lead again.
    _write(
        django_capture_on_commit_callbacks,
        lambda: add("<p>Ende des Tickers.</p>", closing=True),
    )
    html = client.get("/").text
    assert 'class="live-badge"' not in html and "Ende des Tickers" not in html
