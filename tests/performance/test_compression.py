"""Reader pages, feeds and sitemaps are gzip-compressed for clients that accept it, in
Django itself (no proxy needed); the page cache keeps the compressed copy so a hit does
not compress again; admin pages are never compressed (BREACH) (issue #18, item 6)."""

import gzip

import pytest
from django.core.cache import cache

from core import pagecache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def article(db):
    return ArticleFactory(published=True, headline="Komprimierte Nachricht")


@pytest.mark.parametrize("path", ["/", "/feed/", "/sitemap.xml"])
def test_reader_pages_feeds_and_sitemaps_come_compressed_when_accepted(client, article, path):
    response = client.get(path, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    plain = client.get(path)
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(response.content) == plain.content
    assert int(response["Content-Length"]) == len(response.content) < len(plain.content)


def test_an_article_page_is_compressed_and_its_etag_still_answers_304(client, article):
    url = article.get_absolute_url()
    response = client.get(url, **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "Komprimierte Nachricht" in gzip.decompress(response.content).decode()
    assert response["ETag"].startswith('W/"')
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **GZIP)
    assert again.status_code == 304


def test_without_accept_encoding_the_page_is_plain_but_varies(client, article):
    response = client.get(article.get_absolute_url())
    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]


def test_admin_pages_are_never_compressed(admin_client):
    response = admin_client.get("/admin/", **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    login = admin_client.get("/admin/login/", **GZIP)
    assert not login.has_header("Content-Encoding")


def test_the_page_cache_keeps_the_compressed_copy_so_a_hit_does_not_compress(
    client, article, settings, monkeypatch
):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.local_entries.clear()
    url = article.get_absolute_url()
    first = client.get(url, **GZIP)
    assert first["X-Page-Cache"] == "MISS"
    assert first["Content-Encoding"] == "gzip"

    def no_compression(*args, **kwargs):
        raise AssertionError("a hit compressed again")

    from core import compression

    monkeypatch.setattr(compression, "compress_string", no_compression)
    hit = client.get(url, **GZIP)
    assert hit["X-Page-Cache"] == "HIT"
    assert hit["Content-Encoding"] == "gzip"
    assert hit.content == first.content
    plain_hit = client.get(url)
    assert plain_hit["X-Page-Cache"] == "HIT"
    assert not plain_hit.has_header("Content-Encoding")
    assert plain_hit.content == gzip.decompress(first.content)
    pagecache.local_entries.clear()
    cache.clear()
