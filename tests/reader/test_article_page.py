"""The article page: visibility, redirects, content, SEO tags and structured data."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, ArticleURL, Correction, RelatedLink, Section
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_published_article_is_shown_with_one_h1(client, published):
    article = published(headline="Neues Rechenzentrum in Hessen", slug="neues-rechenzentrum")
    response = client.get("/wirtschaft/neues-rechenzentrum/")
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    assert "Neues Rechenzentrum in Hessen" in response.text
    assert article.lead in response.text


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.ARCHIVED},
        {"status": Article.Status.PUBLISHED, "go_live_at_delta": timedelta(hours=2)},
        {"status": Article.Status.PUBLISHED, "expires_at_delta": timedelta(hours=-1)},
        {"status": Article.Status.PUBLISHED, "go_live_at_delta": None},
    ],
    ids=["draft", "review", "unpublished", "archived", "scheduled", "expired", "no-go-live"],
)
def test_invisible_articles_are_404_for_readers(client, section, state):
    now = timezone.now()
    go_live_delta = state.get("go_live_at_delta", timedelta(hours=-3))
    expires_delta = state.get("expires_at_delta")
    ArticleFactory(
        section=section,
        slug="versteckt",
        status=state["status"],
        go_live_at=now + go_live_delta if go_live_delta is not None else None,
        expires_at=now + expires_delta if expires_delta is not None else None,
    )
    assert client.get("/wirtschaft/versteckt/").status_code == 404


def test_unknown_article_is_404(client, section):
    assert client.get("/wirtschaft/gibt-es-nicht/").status_code == 404


def test_old_slug_answers_301_to_the_current_url(client, published):
    article = published(slug="neuer-titel")
    ArticleURL.objects.create(article=article, section_slug="wirtschaft", slug="alter-titel")
    response = client.get("/wirtschaft/alter-titel/")
    assert response.status_code == 301
    assert response["Location"] == "/wirtschaft/neuer-titel/"
    assert "public" in response["Cache-Control"]


def test_changed_section_answers_301_even_without_a_stored_old_url(client, published):
    politik = SectionFactory(name="Politik", slug="politik")
    published(slug="wanderer", section=politik)
    response = client.get("/wirtschaft/wanderer/")
    assert response.status_code == 301
    assert response["Location"] == "/politik/wanderer/"


def test_old_url_of_an_unpublished_article_is_404(client, section):
    article = ArticleFactory(section=section, slug="zurueckgezogen")
    ArticleURL.objects.create(article=article, section_slug="wirtschaft", slug="frueher")
    assert client.get("/wirtschaft/frueher/").status_code == 404


def test_old_url_under_en_leads_to_the_article_in_its_own_language(client, published):
    article = published(slug="neu")
    ArticleURL.objects.create(article=article, section_slug="wirtschaft", slug="alt")
    response = client.get("/en/wirtschaft/alt/")
    assert response.status_code == 301
    assert response["Location"] == "/wirtschaft/neu/"


def test_byline_lists_authors_in_order_and_links_their_pages(client, published):
    first, second = AuthorFactory(name="Zoe Zander"), AuthorFactory(name="Anna Adler")
    published(slug="zwei", authors=[first, second])
    text = client.get("/wirtschaft/zwei/").text
    assert text.index("Zoe Zander") < text.index("Anna Adler")
    assert f'href="/autor/{first.slug}/"' in text
    assert f'href="/autor/{second.slug}/"' in text


def test_body_is_sanitised_and_ends_with_the_agency_credit(client, published):
    published(
        slug="dpa-meldung",
        agency=AgencyFactory(),
        body='<p>Eins.</p><p>Zwei<script>alert(1)</script> <a href="javascript:x()">Link</a>.</p>',
    )
    text = client.get("/wirtschaft/dpa-meldung/").text
    assert "<script>alert" not in text
    assert "javascript:" not in text
    assert '<p>Zwei <a rel="noopener noreferrer">Link</a>. (dpa)</p>' in text


def test_dates_show_published_and_updated_in_german(client, published):
    article = published(slug="datiert", hours_ago=48)
    text = client.get("/wirtschaft/datiert/").text
    assert "Veröffentlicht am" in text
    assert "aktualisiert am" in text  # updated_at (now) is two days after publication
    go_live = timezone.localtime(article.go_live_at).replace(microsecond=0)
    assert f'datetime="{go_live.isoformat()}"' in text


def test_time_elements_carry_valid_datetimes_in_whole_seconds(client, published):
    """HTML allows at most three digits of a second fraction; ``|date:"c"`` gave six."""
    moment = timezone.now().replace(microsecond=123456) - timedelta(days=2)
    article = published(slug="sekunden", hours_ago=48)
    type(article).objects.filter(pk=article.pk).update(go_live_at=moment, updated_at=moment)
    datetimes = []
    for url in ("/wirtschaft/sekunden/", "/", "/wirtschaft/", "/en/wirtschaft/"):
        datetimes += re.findall(r'<time datetime="([^"]*)"', client.get(url).text)
    assert datetimes
    expected = timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S%z")
    expected = f"{expected[:-2]}:{expected[-2:]}"  # +0100 -> +01:00
    assert set(datetimes) == {expected}


def test_fresh_article_has_no_updated_note(client, section):
    now = timezone.now()
    ArticleFactory(section=section, slug="frisch", published=True, go_live_at=now)
    assert "aktualisiert" not in client.get("/wirtschaft/frisch/").text


def test_teaser_image_uses_picture_with_webp_and_jpeg_and_credit(
    client, published, image_with_renditions
):
    published(slug="bild", teaser_image=image_with_renditions)
    text = client.get("/wirtschaft/bild/").text
    assert '<source type="image/webp" srcset="' in text
    assert '<source type="image/jpeg" srcset="' in text
    assert re.search(r'srcset="[^"]*320w, [^"]*640w, [^"]*960w, [^"]*1280w"', text)
    assert 'alt="Ein blaues Testbild"' in text
    assert "Foto: Redaktion" in text
    assert "<figcaption>" in text


def test_image_without_renditions_falls_back_to_the_original(client, published):
    image = ImageFactory()
    published(slug="original", teaser_image=image)
    text = client.get("/wirtschaft/original/").text
    assert f'<img src="{image.file.url}"' in text
    assert "<source" not in text


def test_tags_corrections_and_related_links_are_listed(client, published):
    article = published(slug="korrigiert", tags=["Energie"])
    Correction.objects.create(article=article, text="Wir haben eine Zahl berichtigt.")
    RelatedLink.objects.create(
        article=article, title="Studie des Amts", url="https://example.org/s"
    )
    text = client.get("/wirtschaft/korrigiert/").text
    assert 'href="/thema/energie/"' in text
    assert "Korrekturen" in text and "Wir haben eine Zahl berichtigt." in text
    assert "Weiterführende Links" in text
    assert 'href="https://example.org/s" rel="noopener noreferrer"' in text


def test_hooks_for_comments_and_ads_are_in_place():
    from pathlib import Path

    template = (
        Path(__file__).resolve().parents[2] / "templates" / "articles" / "article_detail.html"
    ).read_text()
    assert '{% include "comments/partials/article_comments.html" %}' in template
    for slot in ("article_top", "article_sidebar", "article_bottom"):
        assert f'{{% ad_slot "{slot}" %}}' in template
    assert '{% ad_inline page.body.before "article_inline" %}' in template


def _json_ld(text: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_json_ld_is_a_valid_news_article(client, published, image_with_renditions):
    author = AuthorFactory(name="Erika Muster")
    article = published(
        slug="strukturiert",
        headline='Strom </script><script>alert("x")</script> & Gas',
        authors=[author],
        teaser_image=image_with_renditions,
    )
    Correction.objects.create(article=article, text="Datum korrigiert.")
    text = client.get("/wirtschaft/strukturiert/").text
    assert '</script><script>alert("x")' not in text
    data = _json_ld(text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["articleSection"] == "Wirtschaft"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Erika Muster",
            "url": f"http://127.0.0.1:8000/autor/{author.slug}/",
        }
    ]
    assert data["publisher"]["name"] == "newsroom"
    assert data["image"][0].startswith("http://127.0.0.1:8000/media/renditions/")
    whole_seconds = {"microsecond": 0}
    assert data["datePublished"] == (
        timezone.localtime(article.go_live_at).replace(**whole_seconds).isoformat()
    )
    assert data["dateModified"] == (
        timezone.localtime(article.updated_at).replace(**whole_seconds).isoformat()
    )
    assert data["correction"][0]["text"] == "Datum korrigiert."


def test_seo_tags_canonical_description_opengraph(client, published):
    published(slug="seo", meta_description="Kurz und knapp.", social_title="Teilen!")
    text = client.get("/wirtschaft/seo/").text
    assert '<link rel="canonical" href="http://127.0.0.1:8000/wirtschaft/seo/">' in text
    assert '<meta name="description" content="Kurz und knapp.">' in text
    assert '<meta property="og:title" content="Teilen!">' in text
    assert '<meta property="og:type" content="article">' in text
    assert '<meta name="twitter:card" content="summary">' in text
    assert 'content="index, follow' in text


def test_canonical_override_and_noindex_are_respected(client, published):
    published(slug="fremd", canonical_url="https://partner.example/original", noindex=True)
    text = client.get("/wirtschaft/fremd/").text
    assert '<link rel="canonical" href="https://partner.example/original">' in text
    assert '<meta name="robots" content="noindex, nofollow">' in text


def test_admin_preview_renders_the_reader_template_with_all_fragments(client, section):
    author = AuthorFactory(name="Erika Muster")
    article = ArticleFactory(section=section, headline="Entwurf für morgen", authors=[author])
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    response = client.get(f"/admin/articles/article/{article.pk}/vorschau/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Entwurf für morgen" in text
    assert "Vorschau" in text
    assert 'rel="author">Erika Muster</a>' in text
    assert "application/ld+json" not in text
    assert "public" not in response["Cache-Control"]


def test_section_of_article_must_match_for_the_page_to_render(client, published):
    published(slug="einzig")
    Section.objects.create(name="Sport", slug="sport")
    assert client.get("/sport/einzig/").status_code == 301
