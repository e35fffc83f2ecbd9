"""Comment pages find the article readers see, and only that one (the compiled
query behind every comment request, issue #14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments.selectors import published_article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_comment_pages_find_exactly_the_articles_readers_see():
    now = timezone.now()
    articles = [
        ArticleFactory(published=True),
        ArticleFactory(),  # draft
        ArticleFactory(published=True, go_live_at=now + timedelta(hours=1)),  # scheduled
        ArticleFactory(published=True, expires_at=now - timedelta(minutes=1)),  # expired
        ArticleFactory(published=True, expires_at=now + timedelta(days=1)),
    ]
    visible = set(Article.objects.published().values_list("pk", flat=True))
    for article in articles:
        found = published_article(article_id=article.pk)
        assert (found is not None) == (article.pk in visible)
        if found is not None:
            assert found == article
            assert found.section.slug == article.section.slug


@pytest.mark.parametrize("article_id", [0, -1, 10**6, 2**63, -(2**63) - 1, 10**30])
def test_an_id_of_no_article_finds_none(article_id):
    ArticleFactory(published=True)
    assert published_article(article_id=article_id) is None


@pytest.mark.parametrize("article_id", [2**63, 10**30])
def test_a_comment_page_for_an_id_out_of_range_is_not_found(client, article_id):
    assert client.get(f"/kommentare/{article_id}/").status_code == 404
