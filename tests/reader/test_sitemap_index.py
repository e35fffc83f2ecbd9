"""The sitemap index: the whole archive in paged article sitemaps, each page with its own
``lastmod`` (date, time and offset), the other sitemaps beside it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # our own output, parsed in tests
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article

pytestmark = pytest.mark.django_db

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://127.0.0.1:8000"
# W3C datetime as sitemaps.org wants it: the time with seconds and the zone offset.
W3C_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")


def _index(client) -> list[tuple[str, str | None]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own XML
    assert root.tag == f"{S}sitemapindex"
    entries = []
    for sitemap in root:
        assert sitemap.tag == f"{S}sitemap"
        assert {child.tag for child in sitemap} <= {f"{S}loc", f"{S}lastmod"}
        entries.append((sitemap.findtext(f"{S}loc"), sitemap.findtext(f"{S}lastmod")))
    return entries


def _get(client, location: str):
    parts = urlsplit(location)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _page_locations(client, location: str) -> list[str]:
    response = _get(client, location)
    assert response.status_code == 200, location
    root = ET.fromstring(response.content)  # noqa: S314 - our own XML
    assert root.tag == f"{S}urlset"
    for url in root:
        assert url.tag == f"{S}url"
        lastmod = url.findtext(f"{S}lastmod")
        assert lastmod is None or W3C_DATETIME.fullmatch(lastmod), lastmod
    return [url.findtext(f"{S}loc") for url in root]


@pytest.fixture
def archive(published):
    """Seven articles, oldest first, one of them the English version of another."""
    articles = [published(slug=f"artikel-{n}", hours_ago=24 * 400 - n * 24 * 60) for n in range(6)]
    articles.append(
        published(slug="englisch", language="en", translation_of=articles[0], hours_ago=1)
    )
    return articles


def test_index_pages_the_whole_archive_oldest_first(client, settings, archive):
    settings.SITEMAP_PAGE_SIZE = 3
    entries = _index(client)
    article_pages = [loc for loc, _ in entries if "/sitemap-articles.xml" in loc]
    assert article_pages == [
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-articles.xml?p=2",
        f"{SITE}/sitemap-articles.xml?p=3",
    ]
    pages = [_page_locations(client, loc) for loc in article_pages]
    assert [len(page) for page in pages] == [3, 3, 1]
    listed = [loc for page in pages for loc in page]
    assert listed == [f"{SITE}{article.get_absolute_url()}" for article in archive]
    assert _get(client, f"{SITE}/sitemap-articles.xml?p=4").status_code == 404
    assert _get(client, f"{SITE}/sitemap-articles.xml?p=zwei").status_code == 404
    assert client.get("/sitemap-unbekannt.xml").status_code == 404


def test_every_index_entry_names_the_newest_change_on_its_page(client, settings, archive):
    settings.SITEMAP_PAGE_SIZE = 3
    lastmods = dict(_index(client))
    for number, first in ((1, 0), (2, 3), (3, 6)):
        location = f"{SITE}/sitemap-articles.xml" + (f"?p={number}" if number > 1 else "")
        assert W3C_DATETIME.fullmatch(lastmods[location])
        newest = max(a.updated_at for a in archive[first : first + 3]).replace(microsecond=0)
        assert datetime.fromisoformat(lastmods[location]) == newest


def test_a_correction_to_an_old_article_changes_only_its_page(client, settings, archive):
    settings.SITEMAP_PAGE_SIZE = 3
    before = dict(_index(client))
    later = timezone.now() + timedelta(minutes=5)
    Article.objects.filter(pk=archive[4].pk).update(updated_at=later)
    from django.core.cache import cache

    cache.clear()  # the index is a cached reader page; the purge is the signal's job
    after = dict(_index(client))
    changed = [loc for loc in after if after[loc] != before[loc]]
    assert changed == [f"{SITE}/sitemap-articles.xml?p=2"]
    assert datetime.fromisoformat(after[changed[0]]) == later.replace(microsecond=0)


def test_index_names_home_sections_and_pages_beside_the_articles(client, archive):
    locations = [loc for loc, _ in _index(client)]
    assert locations == [
        f"{SITE}/sitemap-home.xml",
        f"{SITE}/sitemap-sections.xml",
        f"{SITE}/sitemap-articles.xml",
        f"{SITE}/sitemap-pages.xml",
    ]
    assert _page_locations(client, f"{SITE}/sitemap-home.xml") == [f"{SITE}/"]
    assert f"{SITE}/wirtschaft/" in _page_locations(client, f"{SITE}/sitemap-sections.xml")
    assert f"{SITE}/seite/impressum/" in _page_locations(client, f"{SITE}/sitemap-pages.xml")


def test_an_empty_archive_still_has_one_article_sitemap(client, db):
    entries = dict(_index(client))
    assert entries[f"{SITE}/sitemap-articles.xml"] is None
    assert _page_locations(client, f"{SITE}/sitemap-articles.xml") == []


def test_the_index_costs_the_same_few_queries_for_any_archive_size(
    client, settings, archive, published, django_assert_max_num_queries
):
    settings.SITEMAP_PAGE_SIZE = 2
    settings.PAGE_CACHE_ENABLED = False
    with django_assert_max_num_queries(6):
        _index(client)
    for n in range(10):
        published(slug=f"mehr-{n}")
    with django_assert_max_num_queries(6):
        assert len(_index(client)) == 3 + 9
