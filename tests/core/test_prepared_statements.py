"""Compiled queries (``core.compiled``) run as prepared statements: PostgreSQL plans the
article page's query once per connection instead of on every request (issue #14), and
the answers stay those of the queryset. Everything else Django runs is never prepared
(client-side binding), and ``DATABASE_PREPARED_STATEMENTS=0`` turns it off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles import selectors
from articles.models import Article
from tests.core.test_compiled import snapshot, through_the_orm
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def prepared() -> list[tuple[str, int]]:
    """The statements prepared on this connection: (SQL, times run through them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return cursor.fetchall()


def article_rows(count: int) -> list[tuple[Article, str]]:
    section = SectionFactory(slug="lokales")
    now = timezone.now()
    return [
        (
            ArticleFactory(
                section=section, slug=f"meldung-{n}", published=True,
                go_live_at=now - timedelta(hours=n + 1), tags=[f"Tag {n}"],
            ),
            f"meldung-{n}",
        )
        for n in range(count)
    ]  # fmt: skip


def test_a_compiled_query_run_often_is_prepared_and_answers_as_its_queryset():
    rows = article_rows(8)
    now = timezone.now()
    for article, slug in rows:  # eight runs: psycopg prepares from the sixth on
        compiled = selectors._PUBLISHED_ARTICLE(section_slug="lokales", slug=slug, at=now)
        expected = through_the_orm(section_slug="lokales", slug=slug, at=now)
        assert [snapshot(a) for a in compiled] == [snapshot(expected)]
        assert compiled[0].pk == article.pk
    statements = prepared()
    assert len(statements) == 1
    sql, runs = statements[0]
    assert '"articles_article"."slug" = $' in sql  # bound on the server
    assert runs >= 3


def test_nothing_but_compiled_queries_is_prepared():
    article_rows(2)
    for _ in range(8):
        list(Article.objects.published().filter(slug="meldung-1"))
        Article.objects.filter(slug="meldung-0").update(headline="Neu")
    assert prepared() == []


def test_prepared_statements_can_be_turned_off(settings):
    rows = article_rows(8)
    settings.DATABASE_PREPARED_STATEMENTS = False
    now = timezone.now()
    for article, slug in rows:
        [found] = selectors._PUBLISHED_ARTICLE(section_slug="lokales", slug=slug, at=now)
        assert found.pk == article.pk
    assert prepared() == []
