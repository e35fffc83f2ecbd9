"""Structured data as search engines read it: extruct parses the rendered pages (as a
third party would), and every item is checked against the properties Google documents
for its rich result (Article, Breadcrumb, Sitelinks search box, Profile page).

Google's rules (developers.google.com/search/docs/appearance/structured-data):
- Article/NewsArticle: recommended ``author`` (``name`` and ``url``), ``datePublished``,
  ``dateModified``, ``headline``, ``image`` (several, ratios 16:9, 4:3 and 1:1, at least
  50,000 pixels; for Discover at least 1200 px wide); ISO 8601 dates with a time zone.
- BreadcrumbList: ``itemListElement`` of ``ListItem`` with ``position`` and ``name``,
  ``item`` (a URL) on all but the last.
- WebSite: ``potentialAction`` SearchAction whose ``target.urlTemplate`` holds
  ``{search_term_string}`` and ``query-input`` ``required name=search_term_string``.
- ProfilePage: ``mainEntity`` a Person with ``name`` (recommended: ``description``,
  ``image``, ``url``).
"""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from urllib.parse import urlsplit

import extruct
import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image as PILImage

from articles.images import build_renditions
from tests.factories import AgencyFactory, AuthorFactory, ImageFactory, make_image_bytes

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def structured(client, url: str) -> dict[str, list[dict]]:
    """The page's JSON-LD items by @type, parsed by extruct like a crawler does."""
    response = client.get(url)
    assert response.status_code == 200
    data = extruct.extract(
        response.text, base_url=f"{SITE}{url}", syntaxes=["json-ld", "opengraph"], uniform=True
    )
    by_type: dict[str, list[dict]] = {}
    for item in data["json-ld"]:
        by_type.setdefault(item["@type"], []).append(item)
    by_type["_opengraph"] = data["opengraph"]
    return by_type


def assert_iso_datetime(value: str) -> None:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, f"{value} has no time zone"


def assert_google_article(item: dict) -> None:
    for name in ("headline", "datePublished", "dateModified", "author", "image", "publisher"):
        assert item.get(name), f"NewsArticle lacks {name}"
    assert len(item["headline"]) <= 110
    assert_iso_datetime(item["datePublished"])
    assert_iso_datetime(item["dateModified"])
    for author in item["author"]:
        assert author["@type"] in ("Person", "Organization")
        assert author["name"] and author["url"].startswith(SITE)
    publisher = item["publisher"]
    assert publisher["@type"] in ("Organization", "NewsMediaOrganization")
    assert publisher["name"] and publisher["logo"]["url"].startswith(SITE)
    assert publisher["logo"]["width"] >= 112 and publisher["logo"]["height"] >= 112
    assert item["isAccessibleForFree"] is True
    assert item["inLanguage"] in ("de", "en")


def assert_google_breadcrumb(item: dict) -> None:
    elements = item["itemListElement"]
    assert [e["position"] for e in elements] == list(range(1, len(elements) + 1))
    for element in elements:
        assert element["@type"] == "ListItem" and element["name"]
    for element in elements[:-1]:
        assert element["item"].startswith(SITE)


def image_size(url: str) -> tuple[int, int]:
    path = urlsplit(url).path.removeprefix("/media/")
    with default_storage.open(path) as fh, PILImage.open(BytesIO(fh.read())) as picture:
        return picture.size


@pytest.fixture
def article(published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = ImageFactory(file=SimpleUploadedFile("gross.jpg", make_image_bytes(1600, 1200)))
    build_renditions(image)
    author = AuthorFactory(name="Erika Muster", bio="Schreibt über Energie.")
    return published(
        slug="strukturiert",
        headline="Stadtwerke senken den Strompreis",
        teaser_image=image,
        authors=[author],
        agency=AgencyFactory(),
        dateline="Kassel",
    )


def test_article_page_has_a_news_article_google_accepts(client, article):
    data = structured(client, article.get_absolute_url())
    (item,) = data["NewsArticle"]
    assert_google_article(item)
    assert item["mainEntityOfPage"]["@id"] == f"{SITE}/wirtschaft/strukturiert/"
    assert item["author"][0]["url"] == f"{SITE}{article.authors.get().get_absolute_url()}"


def test_article_images_come_in_the_three_ratios_google_asks_for(client, article):
    (item,) = structured(client, article.get_absolute_url())["NewsArticle"]
    sizes = [image_size(url) for url in item["image"]]
    ratios = sorted(round(w / h, 2) for w, h in sizes)
    assert ratios == [1.0, 1.33, 1.78]
    assert all(w >= 1200 and w * h >= 50_000 for w, h in sizes), sizes


def test_article_page_has_a_breadcrumb_of_home_section_article(client, article):
    (crumbs,) = structured(client, article.get_absolute_url())["BreadcrumbList"]
    assert_google_breadcrumb(crumbs)
    names = [e["name"] for e in crumbs["itemListElement"]]
    assert names == ["newsroom", "Wirtschaft", "Stadtwerke senken den Strompreis"]
    assert crumbs["itemListElement"][1]["item"] == f"{SITE}/wirtschaft/"


def test_home_page_has_website_with_search_action_and_the_publisher(client, article):
    data = structured(client, "/")
    (website,) = data["WebSite"]
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    template = action["target"]["urlTemplate"]
    assert template == f"{SITE}/suche/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    (publisher,) = data["NewsMediaOrganization"]
    assert publisher["logo"]["url"].startswith(f"{SITE}/static/")
    # The search the template names answers.
    assert client.get(template.replace("{search_term_string}", "Strompreis")).status_code == 200


def test_author_page_is_a_profile_page_of_a_person(client, article):
    author = article.authors.get()
    (profile,) = structured(client, author.get_absolute_url())["ProfilePage"]
    person = profile["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Erika Muster"
    assert person["description"] == "Schreibt über Energie."
    assert person["url"] == f"{SITE}{author.get_absolute_url()}"


def test_section_page_has_a_breadcrumb(client, article):
    (crumbs,) = structured(client, "/wirtschaft/")["BreadcrumbList"]
    assert_google_breadcrumb(crumbs)


def test_the_publisher_logo_is_served(client, article):
    (item,) = structured(client, article.get_absolute_url())["NewsArticle"]
    response = client.get(urlsplit(item["publisher"]["logo"]["url"]).path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with PILImage.open(BytesIO(body)) as logo:
        assert logo.size == (
            item["publisher"]["logo"]["width"],
            item["publisher"]["logo"]["height"],
        )


def test_twitter_site_and_creator_come_from_settings(client, article):
    assert "twitter:site" not in client.get(article.get_absolute_url()).text
    with override_settings(TWITTER_SITE="@newsroom", TWITTER_CREATOR="@redaktion"):
        text = client.get(article.get_absolute_url()).text
    assert '<meta name="twitter:site" content="@newsroom">' in text
    assert '<meta name="twitter:creator" content="@redaktion">' in text


def test_a_malformed_twitter_account_stops_the_start():
    import subprocess  # noqa: S404 - a fresh interpreter reads the settings
    import sys

    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", "import newsroom.settings.base"],
        env={
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://x/y",
            "NEWSROOM_TWITTER_SITE": "newsroom",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode != 0
    assert "NEWSROOM_TWITTER_SITE" in completed.stderr


def test_opengraph_names_the_article_and_its_image(client, article):
    og = structured(client, article.get_absolute_url())["_opengraph"][0]
    assert og["@type"] == "article"
    assert og["og:url"] == f"{SITE}/wirtschaft/strukturiert/"
    assert re.match(rf"{SITE}/media/renditions/.*16x9-w1280", og["og:image"])
