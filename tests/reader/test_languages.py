"""One language story: an article has one language and one URL; translations are
articles of their own, linked with hreflang exactly where they exist."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError

SITE = "http://127.0.0.1:8000"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(published):
    """A German original with an English translation."""
    original = published(slug="radwege", headline="Neue Radwege in der Innenstadt")
    english = published(
        slug="new-cycle-lanes",
        headline="New cycle lanes in the city centre",
        language="en",
        translation_of=original,
    )
    return original, english


def hreflangs(text: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text))


def json_ld(text: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return [json.loads(block) for block in blocks]


def test_each_version_lives_under_its_own_language(client, story):
    german = client.get("/wirtschaft/radwege/")
    english = client.get("/en/wirtschaft/new-cycle-lanes/")
    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.text
    assert '<html lang="en">' in english.text
    assert f'<link rel="canonical" href="{SITE}/en/wirtschaft/new-cycle-lanes/">' in english.text


def test_hreflang_pairs_link_the_versions_both_ways(client, story):
    expected = {
        "de": f"{SITE}/wirtschaft/radwege/",
        "en": f"{SITE}/en/wirtschaft/new-cycle-lanes/",
        "x-default": f"{SITE}/wirtschaft/radwege/",
    }
    assert hreflangs(client.get("/wirtschaft/radwege/").text) == expected
    assert hreflangs(client.get("/en/wirtschaft/new-cycle-lanes/").text) == expected


def test_an_article_without_translation_has_no_hreflang(client, published):
    published(slug="allein")
    assert hreflangs(client.get("/wirtschaft/allein/").text) == {}


def test_an_unpublished_translation_gives_no_hreflang(client, published):
    from articles.models import Article
    from tests.factories import ArticleFactory

    original = published(slug="entwurf-offen")
    ArticleFactory(
        section=original.section,
        slug="draft-open",
        language="en",
        translation_of=original,
        status=Article.Status.DRAFT,
    )
    text = client.get("/wirtschaft/entwurf-offen/").text
    assert hreflangs(text) == {}
    assert "draft-open" not in text


def test_the_page_links_its_translation_for_readers(client, story):
    text = client.get("/wirtschaft/radwege/").text
    assert (
        '<a href="/en/wirtschaft/new-cycle-lanes/" hreflang="en" lang="en">'
        "Read this article in English</a>"
    ) in text


def test_json_ld_names_the_article_language_and_its_translations(client, story):
    original, english = story
    data = json_ld(client.get("/en/wirtschaft/new-cycle-lanes/").text)[0]
    assert data["inLanguage"] == "en"
    assert data["translationOfWork"] == {"@id": f"{SITE}/wirtschaft/radwege/"}
    data = json_ld(client.get("/wirtschaft/radwege/").text)[0]
    assert data["inLanguage"] == "de"
    assert data["workTranslation"] == [{"@id": f"{SITE}/en/wirtschaft/new-cycle-lanes/"}]


@pytest.mark.parametrize(
    ("url", "target"),
    [
        # An /en/ bookmark of a German article: its English version where there is one …
        ("/en/wirtschaft/radwege/", "/en/wirtschaft/new-cycle-lanes/"),
        # … and the same rule the other way round.
        ("/wirtschaft/new-cycle-lanes/", "/wirtschaft/radwege/"),
    ],
)
def test_other_language_prefixes_redirect_to_the_version_in_that_language(
    client, story, url, target
):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == target


def test_en_bookmark_of_an_untranslated_article_redirects_to_the_original(client, published):
    published(slug="nur-deutsch")
    response = client.get("/en/wirtschaft/nur-deutsch/")
    assert response.status_code == 301
    assert response["Location"] == "/wirtschaft/nur-deutsch/"
    assert client.get(response["Location"]).status_code == 200
    published(slug="english-only", language="en")
    response = client.get("/wirtschaft/english-only/")
    assert response.status_code == 301
    assert response["Location"] == "/en/wirtschaft/english-only/"


def test_lists_show_each_story_once_in_the_reader_language(client, story, published):
    published(slug="ohne-uebersetzung", headline="Nur auf Deutsch")
    german = client.get("/wirtschaft/").text
    english = client.get("/en/wirtschaft/").text
    assert "/wirtschaft/radwege/" in german and "new-cycle-lanes" not in german
    assert "/en/wirtschaft/new-cycle-lanes/" in english and "/wirtschaft/radwege/" not in english
    # Untranslated stories are listed in the English interface, linked to their one URL.
    assert 'href="/wirtschaft/ohne-uebersetzung/"' in english
    assert 'lang="de"' in english


def test_english_interface_pages_name_the_german_page_as_canonical(client, story):
    for path in ("/en/", "/en/wirtschaft/", "/en/archiv/", "/en/thema/energie/"):
        response = client.get(path)
        if response.status_code == 404:
            continue
        canonical = path.removeprefix("/en")
        assert f'<link rel="canonical" href="{SITE}{canonical}">' in response.text, path
        assert hreflangs(response.text) == {}, path


def test_the_language_switch_leads_to_the_translation_or_the_same_page(client, story, published):
    published(slug="einsam")
    switch = r'<a class="language-switch" href="([^"]+)" hreflang="(\w+)"'
    assert re.findall(switch, client.get("/wirtschaft/radwege/").text) == [
        ("/en/wirtschaft/new-cycle-lanes/", "en")
    ]
    assert re.findall(switch, client.get("/en/wirtschaft/new-cycle-lanes/").text) == [
        ("/wirtschaft/radwege/", "de")
    ]
    assert re.findall(switch, client.get("/wirtschaft/einsam/").text) == [("/en/wirtschaft/", "en")]
    assert re.findall(switch, client.get("/wirtschaft/?seite=1").text) == [
        ("/en/wirtschaft/?seite=1", "en")
    ]


def test_sitemap_lists_every_version_once_with_its_alternates(
    client, story, published, sitemap_urls
):
    published(slug="solo")
    urls = {
        u.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", SITEMAP_NS)
        }
        for u in sitemap_urls()
    }
    pair = {
        "de": f"{SITE}/wirtschaft/radwege/",
        "en": f"{SITE}/en/wirtschaft/new-cycle-lanes/",
        "x-default": f"{SITE}/wirtschaft/radwege/",
    }
    assert urls[f"{SITE}/wirtschaft/radwege/"] == pair
    assert urls[f"{SITE}/en/wirtschaft/new-cycle-lanes/"] == pair
    assert urls[f"{SITE}/wirtschaft/solo/"] == {}
    assert not [loc for loc in urls if "/en/" in loc and "new-cycle-lanes" not in loc]


def test_news_sitemap_names_each_article_language(client, story):
    text = client.get("/news-sitemap.xml").text
    assert "<news:language>en</news:language>" in text
    assert "<news:language>de</news:language>" in text
    assert 'hreflang="en" href="http://127.0.0.1:8000/en/wirtschaft/new-cycle-lanes/"' in text


def test_a_translation_must_point_to_an_original_in_another_language(story, published):
    original, english = story
    same = published(slug="gleich")
    same.translation_of = original
    with pytest.raises(ValidationError):
        same.full_clean()
    chained = published(slug="kette", language="en")
    chained.translation_of = english
    with pytest.raises(ValidationError):
        chained.full_clean()
