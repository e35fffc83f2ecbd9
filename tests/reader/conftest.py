"""Fixtures for the reader-page tests."""

from __future__ import annotations

from datetime import timedelta

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
