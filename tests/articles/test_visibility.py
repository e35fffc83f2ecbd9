"""Readers see an article only through Article.objects.published()."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

S = Article.Status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "visible"),
    [
        ({"status": S.DRAFT}, False),
        ({"status": S.REVIEW}, False),
        ({"status": S.PUBLISHED, "go_live_at": -1}, True),
        ({"status": S.PUBLISHED, "go_live_at": +1}, False),  # scheduled
        ({"status": S.PUBLISHED, "go_live_at": -3, "expires_at": -1}, False),  # expired
        ({"status": S.PUBLISHED, "go_live_at": -3, "expires_at": +1}, True),
        ({"status": S.UNPUBLISHED, "go_live_at": -1}, False),
        ({"status": S.ARCHIVED, "go_live_at": -1}, False),
        ({"status": S.PUBLISHED, "go_live_at": None}, False),
    ],
)
def test_only_live_published_articles_are_visible(state, visible):
    now = timezone.now()
    fields = {
        key: (now + timedelta(hours=value) if isinstance(value, int) else value)
        for key, value in state.items()
    }
    article = ArticleFactory(**fields)
    assert Article.objects.published().filter(pk=article.pk).exists() is visible


@pytest.mark.django_db
def test_scheduled_article_appears_and_expired_disappears_without_anyone_acting():
    now = timezone.now()
    article = ArticleFactory(
        status=S.PUBLISHED, go_live_at=now + timedelta(hours=1), expires_at=now + timedelta(hours=5)
    )
    assert not Article.objects.published(at=now).filter(pk=article.pk).exists()
    assert Article.objects.published(at=now + timedelta(hours=2)).filter(pk=article.pk).exists()
    assert not Article.objects.published(at=now + timedelta(hours=6)).filter(pk=article.pk).exists()
