"""Reader pages are the same bytes for every anonymous reader and cacheable."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/wirtschaft/", "/wirtschaft/gecacht/", "/thema/energie/", "/suche/?q=Energie",
         "/archiv/", "/seite/impressum/", "/en/wirtschaft/", "/en/wirtschaft/cached/"]  # fmt: skip


@pytest.fixture
def article(published, image_with_renditions):
    published(slug="cached", language="en", teaser_image=image_with_renditions)
    return published(slug="gecacht", tags=["Energie"], teaser_image=image_with_renditions)


@pytest.mark.parametrize("url", PAGES)
def test_two_anonymous_readers_get_byte_identical_pages(article, url):
    first = Client().get(url, headers={"accept-language": "de"})
    second = Client().get(url, headers={"accept-language": "en-US,en;q=0.9"})
    assert first.status_code == 200
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]


@pytest.mark.parametrize("url", PAGES)
def test_reader_pages_are_publicly_cacheable_and_not_per_reader(client, article, url):
    response = client.get(url)
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "s-maxage=" in cache_control and "stale-while-revalidate=" in cache_control
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.text


def test_article_page_has_last_modified_and_answers_304(client, article):
    response = client.get("/wirtschaft/gecacht/")
    assert response["Last-Modified"]
    again = client.get("/wirtschaft/gecacht/", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(
        "/wirtschaft/gecacht/", headers={"if-modified-since": response["Last-Modified"]}
    )
    assert since.status_code == 304


def test_changed_page_gets_a_new_etag(client, article, editor, django_capture_on_commit_callbacks):
    from articles import services

    before = client.get("/wirtschaft/gecacht/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):  # the edit's purge
        services.article_update(
            actor=editor,
            article=article,
            expected_version=article.version,
            changes={"headline": "Neue Überschrift"},
        )
    response = client.get("/wirtschaft/gecacht/", headers={"if-none-match": before})
    assert response.status_code == 200
    assert response["ETag"] != before


def test_language_comes_from_the_url_not_the_browser(client, article):
    german = client.get("/wirtschaft/gecacht/", headers={"accept-language": "en"})
    english = client.get("/en/wirtschaft/cached/")
    assert '<html lang="de">' in german.text and "Veröffentlicht am" in german.text
    assert '<html lang="en">' in english.text and "Published on" in english.text
    assert english["Content-Language"] == "en"


def test_admin_still_varies_on_accept_language(admin_client):
    response = admin_client.get("/admin/")
    assert "Accept-Language" in response.get("Vary", "")
