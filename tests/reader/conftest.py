"""Fixtures for the reader-page tests."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # our own output, parsed in tests
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import ImageRendition
from tests.factories import ArticleFactory, ImageFactory, SectionFactory, make_image_bytes


def make_renditions(image, widths=(320, 640, 960, 1280)) -> None:
    """Renditions as the articles helper makes them (spec "16x9-w{W}", webp + jpeg)."""
    for width in widths:
        height = width * 9 // 16
        for fmt, pil in (("webp", "WEBP"), ("jpeg", "JPEG")):
            ImageRendition.objects.create(
                image=image,
                spec=f"16x9-w{width}",
                format=fmt,
                file=ContentFile(make_image_bytes(width, height, pil), name=f"r{width}.{fmt[:4]}"),
            )


@pytest.fixture
def section(db):
    return SectionFactory(name="Wirtschaft", slug="wirtschaft")


@pytest.fixture
def published(section):
    """A factory for published articles, ``hours_ago`` sets the go-live time."""

    def make(hours_ago: float = 1, **kwargs):
        kwargs.setdefault("section", section)
        go_live = timezone.now() - timedelta(hours=hours_ago)
        return ArticleFactory(
            published=True, go_live_at=go_live, first_published_at=go_live, **kwargs
        )

    return make


@pytest.fixture
def image_with_renditions(db):
    image = ImageFactory()
    make_renditions(image)
    return image


SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


@pytest.fixture
def sitemap_urls(client):
    """Every ``<url>`` element the sitemap index leads to, in order (follows each page)."""

    def read() -> list[ET.Element]:
        index = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 - our own XML
        assert index.tag == f"{{{SITEMAP_NAMESPACE}}}sitemapindex"
        urls: list[ET.Element] = []
        for loc in index.iter(f"{{{SITEMAP_NAMESPACE}}}loc"):
            parts = urlsplit(loc.text)
            response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            assert response.status_code == 200, loc.text
            root = ET.fromstring(response.content)  # noqa: S314 - our own XML
            assert root.tag == f"{{{SITEMAP_NAMESPACE}}}urlset"
            urls += root.findall(f"{{{SITEMAP_NAMESPACE}}}url")
        return urls

    return read
