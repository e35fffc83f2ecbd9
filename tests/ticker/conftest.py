"""Fixtures for live-ticker tests: a published ticker article and its ticker."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, SectionFactory
from ticker import services


@pytest.fixture
def section(db):
    return SectionFactory(name="Politik", slug="politik")


@pytest.fixture
def ticker(section, editor):
    """A running ticker on a published article, started by the editor."""
    article = ArticleFactory(
        published=True, section=section, slug="wahlabend-live", headline="Der Wahlabend im Ticker"
    )
    return services.ticker_start(user=editor, article=article)


@pytest.fixture
def add(ticker, editor):
    """Post an entry as the editor (published at once)."""

    def make(body: str = "<p>Die Wahllokale haben geschlossen.</p>", **kwargs):
        return services.entry_add(
            user=kwargs.pop("user", editor), ticker=ticker, body=body, **kwargs
        )

    return make
