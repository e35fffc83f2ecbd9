"""Advertorials and political ads are a kind of article, labelled wherever they
appear: the page, teasers, search results, feeds and JSON-LD; a political ad also
names its sponsor and carries a transparency notice (EU 2024/900)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

KINDS = [
    # kind, label on pages, feed title prefix
    (Article.Kind.ADVERTORIAL, "ANZEIGE", "Anzeige: "),
    (Article.Kind.POLITICAL_AD, "POLITISCHE ANZEIGE", "Politische Anzeige: "),
]


@pytest.fixture
def section(db):
    return SectionFactory(name="Wirtschaft", slug="wirtschaft")


def make(section, kind, **kwargs):
    return ArticleFactory(
        published=True,
        section=section,
        kind=kind,
        sponsor="Stadtwerke Beispielstadt" if kind != Article.Kind.EDITORIAL else "",
        transparency_notice="Bezahlt von der Partei X, Musterstraße 1, 10115 Berlin; "
        "Landtagswahl 2027; 4.800 Euro; kein Targeting."
        if kind == Article.Kind.POLITICAL_AD
        else "",
        kicker="",
        headline="Sonnenstrom vom eigenen Dach",
        slug=f"sonnenstrom-{kind}",
        **kwargs,
    )


def label_of(html: str) -> str | None:
    found = re.search(r'<strong class="sponsored-label__tag">([^<]+)</strong>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize(("kind", "label", "prefix"), KINDS)
def test_a_sponsored_article_is_labelled_on_its_page_and_names_its_sponsor(
    client, section, kind, label, prefix
):
    article = make(section, kind)
    html = client.get(article.get_absolute_url()).text
    assert label_of(html) == label
    assert "Auftraggeber: Stadtwerke Beispielstadt" in html
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    [article_data] = [d for d in data if d.get("headline")]
    assert article_data["@type"] == "AdvertiserContentArticle"
    assert article_data["sponsor"] == {"@type": "Organization", "name": "Stadtwerke Beispielstadt"}


def test_a_political_ad_carries_the_transparency_notice(client, section):
    html = client.get(make(section, Article.Kind.POLITICAL_AD).get_absolute_url()).text
    notice = html[html.index('<section class="transparency-notice"') :]
    assert "Verordnung (EU) 2024/900" in notice
    assert "Landtagswahl 2027; 4.800 Euro; kein Targeting." in notice
    assert 'href="#transparenzhinweis"' in html  # the label links to it


@pytest.mark.parametrize(("kind", "label", "prefix"), KINDS)
def test_teasers_and_search_results_are_labelled(client, section, kind, label, prefix):
    make(section, kind)
    for url, params in (("/", {}), ("/wirtschaft/", {}), ("/suche/", {"q": "Sonnenstrom"})):
        html = client.get(url, params).text
        assert "Sonnenstrom vom eigenen Dach" in html or "<mark>Sonnenstrom</mark>" in html, url
        assert label_of(html) == label, url


@pytest.mark.parametrize(("kind", "label", "prefix"), KINDS)
def test_feeds_label_sponsored_articles(client, section, kind, label, prefix):
    make(section, kind)
    for url in ("/feed/", "/feed/atom/", "/wirtschaft/feed/"):
        xml = client.get(url).text
        assert f"{prefix}Sonnenstrom vom eigenen Dach" in xml, url
        assert "<category>Anzeige</category>" in xml or 'term="Anzeige"' in xml, url


def test_editorial_articles_carry_no_label(client, section):
    article = make(section, Article.Kind.EDITORIAL)
    for url in (article.get_absolute_url(), "/", "/feed/"):
        html = client.get(url).text
        assert label_of(html) is None
        assert "Anzeige: Sonnenstrom" not in html
    assert "NewsArticle" in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize(
    ("kind", "sponsor", "notice", "error_field"),
    [
        (Article.Kind.ADVERTORIAL, "", "", "sponsor"),
        (Article.Kind.POLITICAL_AD, "Partei X", "", "transparency_notice"),
        (Article.Kind.POLITICAL_AD, "", "Hinweis", "sponsor"),
    ],
)
def test_an_ad_without_sponsor_or_notice_is_refused(section, kind, sponsor, notice, error_field):
    article = ArticleFactory.build(
        section=section, kind=kind, sponsor=sponsor, transparency_notice=notice
    )
    with pytest.raises(ValidationError) as error:
        article.clean()
    assert error_field in error.value.message_dict


@pytest.mark.parametrize(("kind", "label", "prefix"), KINDS)
def test_a_sponsored_article_stays_out_of_the_google_news_sitemap(
    client, section, kind, label, prefix
):
    sponsored = make(section, kind)
    editorial = ArticleFactory(published=True, section=section, slug="nachricht")
    news = client.get(reverse("news_sitemap")).text
    assert editorial.get_absolute_url() in news
    assert sponsored.get_absolute_url() not in news
