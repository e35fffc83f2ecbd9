"""The comment section's compiled queries (issue #14, ``core.compiled``) answer exactly what
their querysets answer: counts and the first page of threads, for any article and sort."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments import selectors
from comments.models import Comment, FeedbackPoint
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def comment(article, minutes_ago, *, status="approved", root=None, parent=None, **extra):
    made = Comment.objects.create(
        article=article, name="Leser", email="leser@example.org", text="Text", status=status,
        root=root, parent=parent or root, depth=1 if root else 0, **extra,
    )  # fmt: skip
    Comment.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return made


def test_compiled_counts_and_first_pages_answer_as_their_querysets_for_any_article():
    busy, quiet, empty = (ArticleFactory(published=True) for _ in range(3))
    point = FeedbackPoint.objects.create(article=busy, paragraph_index=0, question="Warum?")
    roots = [comment(busy, minutes, is_pinned=minutes == 50) for minutes in range(10, 90, 5)]
    hidden = comment(busy, 3, status="rejected")
    comment(busy, 2, root=hidden)  # a reply in a hidden thread: not shown, not counted
    comment(busy, 1, root=roots[0])
    comment(busy, 1, root=roots[-1], parent=roots[-1])
    comment(busy, 4, feedback_point=point)
    comment(quiet, 5)
    comment(quiet, 6, status="pending")
    for article in (busy, quiet, empty):
        counts = selectors._COUNTS(article_id=article.pk)
        assert counts == list(selectors._counts_queryset(article_id=article.pk))
        for order in ("-created_at", "created_at"):
            for per_page in (3, 5, 40):
                compiled = selectors._first_page(order=order, per_page=per_page)
                found = compiled(article_id=article.pk)
                expected = selectors._thread_page_queryset(
                    article_id=article.pk, order=order, start=0, per_page=per_page
                )
                assert [c.pk for c in found] == [c.pk for c in expected], (article, order)
    assert selectors._COUNTS(article_id=busy.pk) == [{"comments": 18, "feedback": 1, "threads": 16}]
    assert selectors._COUNTS(article_id=empty.pk) == []  # no row before its first comment
    assert selectors.comment_counts(article=empty) == {"comments": 0, "feedback": 0, "threads": 0}
