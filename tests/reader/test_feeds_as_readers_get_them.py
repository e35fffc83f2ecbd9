"""Feeds as feed readers parse them (feedparser): pictures, full text, valid Atom."""

from __future__ import annotations

import feedparser
import pytest
from django.test import override_settings

from tests.factories import AuthorFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, f"{url}: {feed.bozo_exception}"
    return feed


@pytest.fixture
def articles(published, image_with_renditions):
    with_image = published(
        slug="mit-bild",
        headline="Mit Bild",
        teaser_image=image_with_renditions,
        authors=[AuthorFactory(name="Erika Muster")],
        body='<p>Erster Absatz mit <a href="/wirtschaft/">Link</a>.</p><p>Zweiter Absatz.</p>',
        hours_ago=1,
    )
    without = published(slug="ohne-autor", headline="Ohne Autor", hours_ago=2)
    return with_image, without


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/wirtschaft/feed/", "/feed/volltext/"])
def test_the_teaser_image_is_an_enclosure_and_media_content(client, articles, url):
    entry = next(e for e in parse(client, url).entries if e.title.endswith("Mit Bild"))
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith(f"{SITE}/media/renditions/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    media = entry.media_content[0]
    assert media["url"] == enclosure.href
    assert media["medium"] == "image"
    assert (media["width"], media["height"]) == ("1280", "720")
    assert entry.media_credit[0]["content"] == "Foto: Redaktion"
    other = next(e for e in parse(client, url).entries if e.title.endswith("Ohne Autor"))
    assert not other.get("enclosures")


def test_atom_entries_without_a_byline_are_valid_through_the_feed_author(client, articles):
    feed = parse(client, "/feed/atom/")
    assert feed.feed.author == "newsroom"
    assert feed.feed.author_detail.href == f"{SITE}/"
    entry = next(e for e in feed.entries if e.title.endswith("Ohne Autor"))
    assert "author" not in entry or entry.author == "newsroom"
    byline = next(e for e in feed.entries if e.title.endswith("Mit Bild"))
    assert byline.author == "Erika Muster"


@pytest.mark.parametrize("url", ["/feed/volltext/", "/feed/volltext/atom/"])
def test_the_full_text_feed_carries_the_body_with_absolute_links(client, articles, url):
    entry = next(e for e in parse(client, url).entries if e.title.endswith("Mit Bild"))
    (html,) = [c["value"] for c in entry.content if c["type"] == "text/html"]
    assert "Zweiter Absatz." in html
    assert f'href="{SITE}/wirtschaft/"' in html
    assert entry.summary.startswith("Ein kurzer Vorspann")


def test_the_lead_feeds_carry_no_full_text(client, articles):
    entry = parse(client, "/feed/").entries[0]
    # (feedparser lists media:description among the contents: plain text)
    assert [c["type"] for c in entry.get("content", [])] in ([], ["text/plain"])


def test_the_full_text_feed_can_be_switched_off(client, articles):
    with override_settings(FULL_TEXT_FEEDS=False):
        assert client.get("/feed/volltext/").status_code == 404
        assert "/feed/volltext/" not in client.get("/").text
    assert "/feed/volltext/" in client.get("/").text


def test_english_feeds_list_each_story_in_english_where_translated(client, articles, published):
    original = articles[1]
    published(slug="no-byline", headline="No byline", language="en", translation_of=original)
    titles = [e.title for e in parse(client, "/en/feed/").entries]
    assert any(t.endswith("No byline") for t in titles)
    assert not any(t.endswith("Ohne Autor") for t in titles)
    assert parse(client, "/en/feed/").feed.language == "en"
    assert parse(client, "/feed/").feed.language == "de"
    links = [e.link for e in parse(client, "/en/feed/").entries]
    assert f"{SITE}/en/wirtschaft/no-byline/" in links
    assert f"{SITE}/wirtschaft/mit-bild/" in links
