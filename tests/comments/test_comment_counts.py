"""The comment headings' counts are kept by PostgreSQL (``CommentCounts``, migration
comments 0006) and always equal what ``Comment.objects.public()`` counts: through new
comments, replies and inline feedback, moderation of a thread's first comment and of a
reply, bulk updates, moved and deleted comments, feedback points switched off and
deleted, and a deleted article."""

import random

import pytest
from django.db.models import Count, Q

from articles.models import Article
from comments import selectors
from comments.models import Comment, CommentCounts, FeedbackPoint
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Comment.Status]


def public_counts(article: Article) -> dict[str, int]:
    """The oracle: the counts as the one definition of "visible" gives them."""
    return (
        Comment.objects.public()
        .filter(article=article)
        .aggregate(
            comments=Count("pk", filter=Q(feedback_point__isnull=True)),
            feedback=Count("pk", filter=Q(feedback_point__isnull=False)),
            threads=Count("pk", filter=Q(feedback_point__isnull=True, root__isnull=True)),
        )
    )


def new_comment(article, *, status="approved", parent=None, point=None, text="Kommentar"):
    root = (parent.root or parent) if parent else None
    return Comment.objects.create(
        article=article,
        parent=parent,
        root=root,
        depth=(parent.depth + 1) if parent else 0,
        feedback_point=point,
        name="Leser",
        email="leser@example.org",
        text=text,
        status=status,
    )


def test_a_new_article_has_no_comments(article):
    assert selectors.comment_counts(article=article) == {"comments": 0, "feedback": 0, "threads": 0}
    assert not CommentCounts.objects.exists()


def test_the_counts_follow_every_kind_of_write(article):
    other = ArticleFactory(published=True)
    point = FeedbackPoint.objects.create(article=article, paragraph_index=0, question="Stimmt das?")
    rng = random.Random(14)
    roots = [new_comment(article) for _ in range(3)]
    steps = [
        ("reply", lambda: new_comment(article, parent=rng.choice(roots))),
        ("pending reply", lambda: new_comment(article, parent=rng.choice(roots), status="pending")),
        ("feedback", lambda: new_comment(article, point=point)),
        ("feedback reply", lambda: new_comment(article, point=point, parent=roots[0])),
        ("thread", lambda: roots.append(new_comment(article))),
        ("pending thread", lambda: roots.append(new_comment(article, status="pending"))),
        (
            "moderate a first comment",
            lambda: Comment.objects.filter(pk=rng.choice(roots).pk).update(
                status=rng.choice(STATUSES)
            ),
        ),
        (
            "moderate any comment",
            lambda: Comment.objects.filter(
                pk=rng.choice(list(Comment.objects.values_list("pk", flat=True)))
            ).update(status=rng.choice(STATUSES)),
        ),
        ("approve everything (bulk)", lambda: Comment.objects.update(status="approved")),
        (
            "switch the point",
            lambda: FeedbackPoint.objects.filter(pk=point.pk).update(
                is_active=not FeedbackPoint.objects.get(pk=point.pk).is_active
            ),
        ),
        ("save through the model", lambda: _save_status(rng.choice(roots), rng.choice(STATUSES))),
    ]
    for round_ in range(60):
        name, step = rng.choice(steps)
        step()
        assert selectors.comment_counts(article=article) == public_counts(article), (round_, name)
    # A thread moved to another article, a deleted reply, a deleted thread, a deleted point.
    moved = roots[1]
    Comment.objects.filter(Q(pk=moved.pk) | Q(root=moved)).update(article=other)
    Comment.objects.filter(root__isnull=False).order_by("pk").first().delete()
    roots[0].delete()
    point.delete()
    for each in (article, other):
        assert selectors.comment_counts(article=each) == public_counts(each)
    # The article's row goes with it.
    other_pk = other.pk
    other.delete()
    assert not CommentCounts.objects.filter(article_id=other_pk).exists()


def _save_status(comment: Comment, status: str) -> None:
    comment.refresh_from_db()
    comment.status = status
    comment.save()


def test_posting_a_comment_counts_no_comments(
    client, article, conf, post_comment, django_assert_max_num_queries
):
    """The post's answer reads the counts as one row: no COUNT over the article's comments."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        new_comment(article)
    with CaptureQueriesContext(connection) as captured:
        response = post_comment(article, json=True)
    assert response.status_code == 201, response.content
    assert response.json()["counts"]["comments"] == "4 Kommentare"
    assert not [
        q["sql"]
        for q in captured
        if "COUNT(" in q["sql"].upper() and "comments_comment" in q["sql"]
    ]
