"""The search lexicon (``SearchWord``): the words of the published articles.

Derived data like an index, so no actor, permission check or audit entry: nothing
here changes what an editor wrote, and the lexicon can be rebuilt from the articles
at any time. Words come from PostgreSQL's parser (``to_tsvector('simple', …)``, the
same tokens the full-text index sees: HTML tags and entities are skipped), their
transliteration and trigrams from ``articles.search``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from articles import search
from articles.models import Article, SearchWord
from articles.search import _WORD, fold, trigrams

MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 60
BATCH = 5000

_WORDS_SQL = """
SELECT word, count(*) FROM (
    SELECT unnest(tsvector_to_array(to_tsvector('simple',
        concat_ws(' ', a.kicker, a.headline, a.lead, a.body)))) AS word
    FROM {table} a WHERE a.id IN ({ids})
) words GROUP BY word
"""


def _article_words(ids_sql: str, params: Iterable[Any]) -> list[tuple[str, int]]:
    """(word, number of articles) for the articles whose ids the subquery selects."""
    sql = _WORDS_SQL.format(table=connection.ops.quote_name(Article._meta.db_table), ids=ids_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [(word, count) for word, count in cursor.fetchall() if _is_word(word)]


def _is_word(word: str) -> bool:
    return (
        MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH
        and _WORD.fullmatch(word) is not None
        and any(ch.isalpha() for ch in word)
    )


def _rows(words: Iterable[tuple[str, int]]) -> list[SearchWord]:
    rows = []
    for word, count in words:
        folded = fold(word)
        if folded:
            rows.append(
                SearchWord(word=word, folded=folded, trigrams=trigrams(folded), documents=count)
            )
    return rows


def search_words_rebuild() -> int:
    """Replace the lexicon with the words of all published articles; returns their number.

    One transaction: searches keep the old lexicon until the new one is committed.
    Cost grows with the archive (about a minute for 200,000 articles): run it daily
    (``manage.py rebuild_search_words``); publishing adds new words at once
    (``search_words_add``). Side effects: none beyond the table.
    """
    ids_sql, params = Article.objects.published().values("id").query.sql_with_params()
    rows = _rows(_article_words(ids_sql, params))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(rows, batch_size=BATCH)
        transaction.on_commit(search.lexicon_changed)  # cached search plans are stale
    return len(rows)


def search_words_add(*, article_id: int) -> int:
    """Add the words of one published article that the lexicon lacks; returns how many.

    Known words keep their counts until the next rebuild. Nothing happens for an
    article readers cannot see. Side effects: none beyond the table.
    """
    visible = Article.objects.published().filter(pk=article_id)
    ids_sql, params = visible.values("id").query.sql_with_params()
    rows = _rows(_article_words(ids_sql, params))
    known = set(
        SearchWord.objects.filter(word__in=[r.word for r in rows]).values_list("word", flat=True)
    )
    new = [row for row in rows if row.word not in known]
    SearchWord.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    if new:
        transaction.on_commit(search.lexicon_changed)  # cached search plans are stale
    return len(new)
