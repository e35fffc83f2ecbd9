"""Search rows (``ArticleSearch``): PostgreSQL keeps one per article, whatever writes it.

Search filters and ranks a narrow table written by triggers (migration 0010), not the
article table: if any write path left a row behind, search would show a withdrawn
article or miss a corrected headline. So every kind of write is exercised here (the
services, a model save, a bulk ``update()``, raw SQL, deletes and the cascade of a
deleted original), and the trigger's vector is compared with Django's own
``SearchVector`` over the awkward-text corpus.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection, models
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, ArticleSearch
from articles.services import article_publish, article_unpublish
from tests.factories import ArticleFactory, UserFactory
from tests.support.corpus import AWKWARD, REFUSED

pytestmark = pytest.mark.django_db

# The vector as Django writes it: what the trigger must produce.
DJANGO_VECTOR = (
    SearchVector("headline", config="german", weight="A")
    + SearchVector(Coalesce("kicker", models.Value("")), config="german", weight="B")
    + SearchVector("lead", config="german", weight="B")
    + SearchVector("body", config="german", weight="C")
)
STATE = ("status", "go_live_at", "expires_at", "language", "translation_of_id")


def assert_row_follows(article_id: int) -> None:
    """The search row of ``article_id`` holds the article's state and vector."""
    article = Article.objects.annotate(expected=DJANGO_VECTOR).get(pk=article_id)
    row = ArticleSearch.objects.get(pk=article_id)
    assert {name: getattr(row, name) for name in STATE} == {
        name: getattr(article, name) for name in STATE
    }
    assert row.vector == article.expected


def search_ids(words: str) -> set[int]:
    return set(
        ArticleSearch.objects.published().filter(vector=words).values_list("article_id", flat=True)
    )


@pytest.mark.parametrize("text_id", sorted(set(AWKWARD) - REFUSED))
def test_the_trigger_writes_the_vector_django_would_for_awkward_text(text_id):
    text = AWKWARD[text_id]
    article = ArticleFactory(
        headline=text[:200], kicker=text[:60], lead=text, body=f"<p>{text}</p>"
    )
    assert_row_follows(article.pk)


def test_every_write_path_keeps_the_search_row_current():
    editor = UserFactory(is_staff=True, is_superuser=True)
    article = ArticleFactory(headline="Schleusentor klemmt", status=Article.Status.DRAFT)
    assert_row_follows(article.pk)
    assert article.pk not in search_ids("Schleusentor")  # a draft is not found

    article_publish(article=article, actor=editor)  # the service
    assert_row_follows(article.pk)
    assert article.pk in search_ids("Schleusentor")

    article.refresh_from_db()
    article.headline = "Deichtor klemmt"
    article.save()  # a model save (the admin's path through the services ends here)
    assert_row_follows(article.pk)
    assert search_ids("Schleusentor") == set()
    assert article.pk in search_ids("Deichtor")

    # A bulk update (scheduled jobs, data fixes) changes only the state.
    later = timezone.now() + timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(go_live_at=later)
    assert_row_follows(article.pk)
    assert article.pk not in search_ids("Deichtor")  # scheduled, not yet visible

    Article.objects.filter(pk=article.pk).update(go_live_at=timezone.now() - timedelta(hours=1))
    with connection.cursor() as cursor:  # raw SQL, bypassing Django entirely
        cursor.execute(
            "UPDATE articles_article SET body = %s WHERE id = %s",
            ["<p>Hochwasser am Pegel</p>", article.pk],
        )
    assert_row_follows(article.pk)
    assert article.pk in search_ids("Hochwasser")

    article.refresh_from_db()
    article_unpublish(article=article, actor=editor)
    assert_row_follows(article.pk)
    assert article.pk not in search_ids("Hochwasser")

    article.delete()
    assert not ArticleSearch.objects.filter(pk=article.pk).exists()


def test_deleting_an_original_clears_the_translations_link_in_its_search_row():
    original = ArticleFactory(published=True, language="de")
    translation = ArticleFactory(published=True, language="en", translation_of=original)
    assert ArticleSearch.objects.get(pk=translation.pk).translation_of_id == original.pk
    original.delete()
    assert_row_follows(translation.pk)
    assert ArticleSearch.objects.get(pk=translation.pk).translation_of_id is None


def test_a_raw_sql_delete_removes_the_search_row_too():
    article = ArticleFactory(published=True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM articles_article WHERE id = %s", [article.pk])
    assert not ArticleSearch.objects.filter(pk=article.pk).exists()


def test_search_rows_keep_their_vectors_out_of_line():
    """The table's point is to be narrow: the vector is stored outside the row
    (uncompressed), so filtering thousands of matches reads a few MB."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'articles_articlesearch'")
        (options,) = cursor.fetchone()
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'articles_articlesearch'::regclass"
            " AND attname = 'vector'"
        )
        (storage,) = cursor.fetchone()
    assert "toast_tuple_target=128" in options
    assert storage == "e"  # EXTERNAL


def test_the_migration_leaves_the_planner_statistics_of_the_search_rows():
    """Search's plan depends on how many rows a word matches: without statistics right
    after the migration (autovacuum off or not yet around) a common word walked every
    row (90 ms on 20,000 articles instead of 8)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'articles_articlesearch'"
        )
        (analysed,) = cursor.fetchone()
    assert analysed is not None
