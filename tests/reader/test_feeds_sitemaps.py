"""RSS/Atom feeds, sitemap.xml, the Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET  # our own output, parsed in tests
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from articles.models import Article
from pages.models import Page
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS_NS = {**SITEMAP_NS, "news": "http://www.google.com/schemas/sitemap-news/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


def _rss_items(response):
    root = ET.fromstring(response.content)  # noqa: S314 - our own XML
    return root.findall("./channel/item")


def test_site_rss_lists_only_published_articles_with_their_dates(client, published, section):
    article = published(headline="Sichtbar", hours_ago=3)
    ArticleFactory(section=section, headline="Entwurf")
    ArticleFactory(
        section=section,
        headline="Geplant",
        status=Article.Status.PUBLISHED,
        go_live_at=timezone.now() + timedelta(hours=1),
    )
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = _rss_items(response)
    assert [i.findtext("title") for i in items] == ["Testlage: Sichtbar"]
    item = items[0]
    assert item.findtext("link") == "http://127.0.0.1:8000/wirtschaft/" + article.slug + "/"
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.go_live_at.replace(
        microsecond=0
    )
    assert item.findtext("description") == article.lead


def test_atom_feed_has_updated_and_published(client, published):
    article = published(headline="Atom")
    root = ET.fromstring(client.get("/feed/atom/").content)  # noqa: S314 - our own XML
    entry = root.find("a:entry", ATOM_NS)
    assert entry.findtext("a:title", namespaces=ATOM_NS) == "Testlage: Atom"
    published_at = datetime.fromisoformat(entry.findtext("a:published", namespaces=ATOM_NS))
    assert published_at == article.go_live_at
    assert entry.findtext("a:updated", namespaces=ATOM_NS)


def test_section_and_tag_feeds_are_filtered(client, published):
    sport = SectionFactory(name="Sport", slug="sport")
    published(headline="Wirtschaftsnachricht", tags=["Energie"])
    published(headline="Sportnachricht", section=sport)
    section_titles = [i.findtext("title") for i in _rss_items(client.get("/sport/feed/"))]
    assert section_titles == ["Testlage: Sportnachricht"]
    tag_titles = [i.findtext("title") for i in _rss_items(client.get("/thema/energie/feed/"))]
    assert tag_titles == ["Testlage: Wirtschaftsnachricht"]
    assert client.get("/sport/feed/atom/").status_code == 200
    assert client.get("/thema/energie/feed/atom/").status_code == 200
    assert client.get("/unbekannt/feed/").status_code == 404


def test_sitemap_lists_published_indexable_articles_sections_and_pages(
    client, published, section, sitemap_urls
):
    article = published(slug="im-sitemap")
    published(slug="nicht-indexieren", noindex=True)
    published(slug="fremd-kanonisch", canonical_url="https://partner.example/x")
    ArticleFactory(section=section, slug="entwurf")
    locations = {u.findtext("s:loc", namespaces=SITEMAP_NS): u for u in sitemap_urls()}
    url = "http://127.0.0.1:8000/wirtschaft/im-sitemap/"
    assert url in locations
    lastmod = datetime.fromisoformat(locations[url].findtext("s:lastmod", namespaces=SITEMAP_NS))
    assert lastmod == article.updated_at.replace(microsecond=0)  # with time and offset
    assert "http://127.0.0.1:8000/" in locations
    assert "http://127.0.0.1:8000/wirtschaft/" in locations
    assert "http://127.0.0.1:8000/seite/impressum/" in locations
    assert not any(
        "nicht-indexieren" in loc or "fremd" in loc or "entwurf" in loc for loc in locations
    )


def test_news_sitemap_holds_only_the_last_two_days(client, published):
    published(headline="Heute", slug="heute", hours_ago=2)
    published(headline="Vorgestern knapp", slug="knapp", hours_ago=47)
    published(headline="Zu alt", slug="zu-alt", hours_ago=49)
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own XML
    urls = root.findall("s:url", NEWS_NS)
    titles = [u.findtext("news:news/news:title", namespaces=NEWS_NS) for u in urls]
    assert titles == ["Heute", "Vorgestern knapp"]
    first = urls[0]
    assert first.findtext("s:loc", namespaces=NEWS_NS) == "http://127.0.0.1:8000/wirtschaft/heute/"
    assert first.findtext("news:news/news:publication/news:language", namespaces=NEWS_NS) == "de"
    assert first.findtext("news:news/news:publication/news:name", namespaces=NEWS_NS) == "newsroom"
    assert first.findtext("news:news/news:publication_date", namespaces=NEWS_NS)


def test_machine_endpoints_are_german_whatever_the_browser_language(client, published):
    published(slug="deutsch")
    response = client.get("/news-sitemap.xml", headers={"accept-language": "en"})
    assert "/en/" not in response.text
    assert "Accept-Language" not in response.get("Vary", "")


def test_robots_txt_points_to_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.text
    assert "Sitemap: http://127.0.0.1:8000/news-sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_robots_txt_names_only_urls_that_exist(client, db):
    """The staff preview lives under /admin/ (already disallowed); /vorschau/ does not exist."""
    assert "vorschau" not in client.get("/robots.txt").text


def test_favicon_is_served_at_the_root_and_linked_from_the_pages(client, db):
    from io import BytesIO

    from PIL import Image

    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(BytesIO(response.content)) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    for page in ("/", "/en/", "/archiv/"):
        assert '<link rel="icon" href="/static/favicon.ico"' in client.get(page).text
    static = client.get("/static/favicon.ico")
    assert static.status_code == 200
    assert b"".join(static.streaming_content) == response.content  # read to the end: closed


def test_noindex_static_page_is_left_out_of_the_sitemap(client, db):
    Page.objects.create(title="Intern", slug="intern", noindex=True)
    assert "/seite/intern/" not in client.get("/sitemap-pages.xml").text
