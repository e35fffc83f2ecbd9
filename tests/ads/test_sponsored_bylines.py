"""Sponsored content never carries an editorial byline (§ 22 MStV: ads are kept apart
from journalism): whoever creates an ad -- through the service or the admin, as a
journalist or as the Chef vom Dienst with an author profile -- is not added as its
author, and the reader page of an ad without authors shows the ad label, no "Von ..."."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.models import Article
from tests.articles.test_admin import form_data
from tests.factories import AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SPONSORED = [kind for kind in Article.Kind if kind != Article.Kind.EDITORIAL]


@pytest.fixture
def section(db):
    return SectionFactory(name="Wirtschaft", slug="wirtschaft")


@pytest.fixture
def creators(journalist, editor):
    """Every desk role that may create articles, each with an author profile."""
    AuthorFactory(name="Carla Vogt", slug="carla-vogt", user=editor)
    return {"journalist": journalist, "editor": editor}


def ad_fields(kind: str) -> dict[str, str]:
    return {
        "kind": kind,
        "sponsor": "Stadtwerke Beispielstadt",
        "transparency_notice": "Bezahlt von der Partei X; Landtagswahl 2027; 4.800 Euro."
        if kind == Article.Kind.POLITICAL_AD
        else "",
    }


def create_through_service(user, section, kind) -> Article:
    return services.article_create(
        actor=user,
        headline="Sonnenstrom vom eigenen Dach",
        lead="Vorspann",
        section=section,
        **ad_fields(kind),
    )


def create_through_admin(client, user, section, kind) -> Article:
    client.force_login(user)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            section=str(section.pk), headline="Sonnenstrom vom eigenen Dach", **ad_fields(kind)
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(headline="Sonnenstrom vom eigenen Dach")


def byline_of(html: str) -> str | None:
    found = re.search(r'<span class="byline">(.*?)</span>', html, re.S)
    return " ".join(found.group(1).split()) if found else None


@pytest.mark.parametrize("kind", SPONSORED)
@pytest.mark.parametrize("role", ["journalist", "editor"])
@pytest.mark.parametrize("path", ["service", "admin"])
def test_whoever_creates_a_sponsored_article_is_not_made_its_author(
    client, creators, section, kind, role, path
):
    user = creators[role]
    if path == "admin":
        article = create_through_admin(client, user, section, kind)
    else:
        article = create_through_service(user, section, kind)
    assert article.is_sponsored
    assert list(article.authorships.all()) == []
    assert article.revisions.get().snapshot.get("authors", []) == []


@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_an_editorial_article_still_gets_its_creator_as_byline(creators, section, role):
    article = create_through_service(creators[role], section, Article.Kind.EDITORIAL)
    assert [a.author.user for a in article.authorships.all()] == [creators[role]]


@pytest.mark.parametrize("kind", SPONSORED)
def test_the_reader_page_of_a_sponsored_article_shows_the_ad_label_and_no_byline(
    client, creators, editor, section, kind
):
    article = create_through_admin(client, creators["editor"], section, kind)
    services.article_publish(actor=editor, article=article)
    client.logout()
    for language in ("de", "en"):
        with translation.override(language):
            url = Article.objects.get(pk=article.pk).get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.text
        assert 'class="sponsored-label' in html
        assert "Stadtwerke Beispielstadt" in html
        assert byline_of(html) is None
        assert "Carla Vogt" not in html
