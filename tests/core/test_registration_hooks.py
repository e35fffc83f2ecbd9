"""Core learns about articles through hooks that ArticlesConfig.ready() fills."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import selectors
from core import pagecache, views
from tests.factories import ArticleFactory


def test_the_articles_app_registers_its_visibility_changes_and_navigation():
    assert selectors.next_visibility_change in pagecache._expiry_sources
    assert views._navigation_source is not None
    assert views._navigation_source.load is selectors.site_navigation
    assert views._navigation_source.cache_key == selectors.NAVIGATION_CACHE_KEY


@pytest.mark.django_db
def test_cached_pages_end_at_the_earliest_answer_of_every_expiry_source(monkeypatch):
    soon = timezone.now() + timedelta(seconds=40)
    monkeypatch.setattr(pagecache, "_expiry_sources", list(pagecache._expiry_sources))
    pagecache.register_expiry_source(lambda *, at: soon)
    pagecache.register_expiry_source(lambda *, at: None)  # a source with nothing scheduled
    ArticleFactory(status="published", go_live_at=timezone.now() + timedelta(hours=2))
    pagecache.invalidate("site")  # forgets the cached answer
    assert pagecache.next_visibility_change() == pytest.approx(soon.timestamp())


@pytest.mark.django_db
def test_the_next_visibility_change_is_the_next_go_live_or_expiry():
    now = timezone.now()
    assert selectors.next_visibility_change(at=now) is None
    expiry = now + timedelta(hours=3)
    ArticleFactory(status="published", go_live_at=now - timedelta(hours=1), expires_at=expiry)
    assert selectors.next_visibility_change(at=now) == expiry
    go_live = now + timedelta(hours=1)
    ArticleFactory(status="published", go_live_at=go_live)
    assert selectors.next_visibility_change(at=now) == go_live
