"""German full-text search at /suche/."""

import re
import time

import pytest

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_stemming_finds_singular_for_plural(client, published):
    published(headline="Ein altes Haus am Markt", slug="haus")
    response = client.get("/suche/", {"q": "Häuser"})
    assert response.status_code == 200
    assert "altes <mark>Haus</mark> am Markt" in response.text


def test_headline_hits_rank_above_body_hits(client, published):
    published(headline="Bericht aus dem Landtag", body="<p>Es ging um Windkraft.</p>", hours_ago=1)
    published(headline="Windkraft im Norden", body="<p>Mehr Anlagen.</p>", hours_ago=30)
    text = client.get("/suche/", {"q": "Windkraft"}).text
    assert text.index("<mark>Windkraft</mark> im Norden") < text.index("Bericht aus dem Landtag")
    assert "2 Artikel zu „Windkraft“" in text


def test_only_published_articles_are_found(client, section):
    ArticleFactory(section=section, headline="Geheimer Windpark", status=Article.Status.DRAFT)
    text = client.get("/suche/", {"q": "Windpark"}).text
    assert "Geheimer" not in text
    assert "Keine Artikel zu „Windpark“ gefunden" in text


def test_snippet_is_highlighted_and_escaped(client, published):
    published(
        headline="Meldung",
        body="<p>Die Firma &lt;script&gt; baut Solaranlagen &amp; Speicher.</p>",
    )
    text = client.get("/suche/", {"q": "Solaranlagen"}).text
    assert "<mark>Solaranlagen</mark>" in text
    assert "&lt;script&gt;" in text
    assert "<script>" not in text


def test_empty_query_asks_for_a_term(client, db):
    response = client.get("/suche/")
    assert response.status_code == 200
    assert "Bitte geben Sie einen Suchbegriff ein." in response.text
    assert client.get("/suche/", {"q": "   "}).status_code == 200


def test_very_long_query_is_truncated_calmly(client, published):
    published(headline="Energie für alle")
    response = client.get("/suche/", {"q": "Energie " * 200})
    assert response.status_code == 200
    assert "ersten 200 Zeichen" in response.text
    assert "<mark>Energie</mark>" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "\x00",
        "a\x00b",
        "'; DROP TABLE articles_article; --",
        '"unclosed',
        "-",
        "OR OR AND",
        "der die das",
        "!!! ((( ))) :*",
        "<script>alert(1)</script>",
        "\ue000Haus\ue001",
        "😀",
    ],
)
def test_odd_input_never_errors(client, published, query):
    published(headline="Haus")
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_search_results_are_paginated(client, published):
    for number in range(12):
        published(headline=f"Solar Nummer {number}", hours_ago=number + 1)
    first = client.get("/suche/", {"q": "Solar"})
    assert '<link rel="next" href="/suche/?q=Solar&amp;seite=2">' in first.text
    second = client.get("/suche/", {"q": "Solar", "seite": "2"})
    assert "Seite 2 von 2" in second.text
    assert client.get("/suche/", {"q": "Solar", "seite": "99"}).status_code == 200


def test_equal_matches_are_paged_newest_first_without_repeats(client, published):
    for number in range(12):
        published(headline=f"Solar Nummer {number}", hours_ago=number + 1)
    first = client.get("/suche/", {"q": "Solar"}).text
    second = client.get("/suche/", {"q": "Solar", "seite": "2"}).text
    shown = [int(n) for text in (first, second) for n in re.findall(r"Nummer (\d+)</", text)]
    assert shown == list(range(12))


def test_search_pages_are_not_indexed(client, db):
    assert '<meta name="robots" content="noindex, follow">' in client.get("/suche/?q=x").text


def test_only_the_newest_matches_are_ranked_when_a_word_matches_very_many(client, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from articles import selectors

    monkeypatch.setattr(selectors, "SEARCH_CANDIDATES", 2)
    now = timezone.now()
    for days, slug in [(3, "alt"), (2, "mittel"), (1, "neu")]:
        ArticleFactory(
            published=True,
            slug=f"windkraft-{slug}",
            headline=f"Windkraft im Landkreis ({slug})",
            go_live_at=now - timedelta(days=days),
        )
    response = client.get("/suche/", {"q": "Windkraft"})
    text = response.content.decode()
    assert "windkraft-neu" in text and "windkraft-mittel" in text
    assert "windkraft-alt" not in text
    assert "Sehr viele Treffer" in text


@pytest.mark.usefixtures("cache_backend")
def test_a_search_asked_before_follows_every_change_of_the_articles(
    client, section, django_capture_on_commit_callbacks
):
    """The ranked results of a query are a cached fragment: every way an article enters
    or leaves the results (publish, edit, withdraw, expiry) reaches a search asked before,
    through the services' purges on commit (or, for an expiry, the fragment's end)."""
    from datetime import timedelta

    from django.utils import timezone

    from articles.services import article_publish, article_unpublish, article_update
    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True, is_superuser=True)

    def found() -> set[str]:
        text = client.get("/suche/", {"q": "Deichbau"}).text
        return set(re.findall(r'href="/[^/"]+/(deich-[a-z]+)/"', text))

    def publish(slug: str, headline: str, **kwargs) -> Article:
        draft = ArticleFactory(section=section, slug=slug, headline=headline)
        with django_capture_on_commit_callbacks(execute=True):
            return article_publish(actor=editor, article=draft, **kwargs)

    first = publish("deich-eins", "Deichbau beginnt")
    assert found() == {"deich-eins"}
    second = publish("deich-zwei", "Deichbau verzögert sich")
    assert found() == {"deich-eins", "deich-zwei"}  # published since the search
    with django_capture_on_commit_callbacks(execute=True):
        article_update(
            actor=editor,
            article=second,
            expected_version=second.version,
            changes={"headline": "Hafenbau verzögert sich"},
        )
    assert found() == {"deich-eins"}  # edited since
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(actor=editor, article=first)
    assert found() == set()  # withdrawn since
    publish(
        "deich-drei", "Deichbau abgeschlossen", expires_at=timezone.now() + timedelta(seconds=2)
    )
    assert found() == {"deich-drei"}
    time.sleep(2.1)
    assert found() == set()  # expired: no purge, the fragment ends at the expiry
