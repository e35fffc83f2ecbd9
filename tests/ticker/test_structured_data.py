"""A ticker page describes itself as a LiveBlogPosting (Google's live coverage)."""

from __future__ import annotations

from datetime import timedelta

import extruct
import pytest
from django.utils import timezone

from ticker import services

pytestmark = pytest.mark.django_db

PAGE = "/politik/wahlabend-live/"


def _live_blog(client) -> dict:
    html = client.get(PAGE).text
    found = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
    blogs = [item for item in found if item.get("@type") == "LiveBlogPosting"]
    assert len(blogs) == 1, found
    return blogs[0]


def test_running_ticker_is_a_live_blog_with_coverage_times_and_updates(client, ticker, add):
    now = timezone.now()
    add("<p>Erste Prognose: <strong>Partei A</strong> vorn.</p>", time=now - timedelta(minutes=10))
    add("<p>Zweite Hochrechnung.</p>", time=now)
    blog = _live_blog(client)
    assert blog["headline"] == "Der Wahlabend im Ticker"
    assert blog["coverageStartTime"] == ticker.started_at.isoformat()
    # Running: the end is announced (Google asks for it), after the latest entry.
    assert blog["coverageEndTime"] > now.isoformat()
    updates = blog["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == [
        "Zweite Hochrechnung.",
        "Erste Prognose: Partei A vorn.",
    ]
    assert all(u["@type"] == "BlogPosting" and "#eintrag-" in u["url"] for u in updates)
    assert blog["publisher"]["name"]


def test_closing_entry_ends_the_coverage_and_the_archive_keeps_its_data(client, ticker, add):
    end = timezone.now() - timedelta(minutes=1)
    add("<p>Unser Ticker endet hier.</p>", time=end, closing=True)
    blog = _live_blog(client)
    ticker.refresh_from_db()
    assert blog["coverageEndTime"] == ticker.ended_at.isoformat() == end.isoformat()
    assert blog["liveBlogUpdate"][0]["articleBody"] == "Unser Ticker endet hier."


def test_plain_articles_stay_news_articles(client, section, editor):
    from tests.factories import ArticleFactory

    ArticleFactory(published=True, section=section, slug="normal")
    html = client.get("/politik/normal/").text
    types = [i["@type"] for i in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]]
    assert "NewsArticle" in types and "LiveBlogPosting" not in types


def test_entry_held_for_review_is_not_in_the_structured_data(client, ticker, journalist):
    services.entry_add(user=journalist, ticker=ticker, body="<p>Ungeprüft.</p>")
    assert _live_blog(client)["liveBlogUpdate"] == []
