"""Posting a comment costs a fixed number of queries, whatever is stored already
(bans, earlier comments, subscriptions), and queues the notification task only
when someone would be notified (issue #14)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import notifications, tokens
from comments.models import (
    BannedAddress,
    BannedIP,
    Comment,
    ModerationMode,
    Subscription,
)
from comments.notifications import comments_missing_notifications
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# The article (view), the submission's facts (earlier submission, bans, duplicate,
# article, subscribers: comments.policy.submission_facts), then the insert in its
# transaction (a savepoint and its release inside the test's transaction), and for the
# script the counts of the headings ("7 Kommentare") after a public comment.
BUDGET = 6
# A reply: the parent answered (form), and the parent and the thread's root
# validated before the insert.
REPLY_BUDGET = BUDGET + 3


@pytest.fixture
def queued(monkeypatch):
    """The comment ids the notification task is queued for."""
    ids: list[int] = []

    class Recorder:
        def enqueue(self, *, comment_id: int) -> None:
            ids.append(comment_id)

    monkeypatch.setattr(notifications, "notify_subscribers", Recorder())
    return ids


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Post a new comment as JSON (its on-commit work runs): (queries, the comment)."""

    def _post(article, n: int, **data) -> tuple[int, Comment]:
        return _queries_of_post(client, django_capture_on_commit_callbacks, article, n, **data)

    return _post


def _queries_of_post(client, on_commit, article, n: int, **data) -> tuple[int, Comment]:
    """Queries of one JSON post of a new comment, on-commit work included; the comment."""
    payload = {
        "name": "Erika Muster",
        "email": f"erika{n}@example.org",
        "text": f"Ein durchdachter Kommentar Nummer {n} zum Artikel.",
        "ts": tokens.form_timestamp(time.time() - 30),
        "website": "",
        **data,
    }
    with CaptureQueriesContext(connection) as captured, on_commit(execute=True):
        response = client.post(
            f"/kommentare/{article.pk}/schreiben/",
            payload,
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 201, response.content
    return len(captured), Comment.objects.get(pk=response.json()["id"])


def _fill(article, size: int) -> None:
    """``size`` bans, banned networks, other readers' comments and subscriptions elsewhere."""
    other = ArticleFactory(published=True)
    for i in range(size):
        BannedAddress.objects.create(email=f"gesperrt{i}@example.org")
        BannedIP.objects.create(network=f"198.51.100.{i}/32")
        Comment.objects.create(
            article=article,
            name=f"Leser {i}",
            email=f"leser{i}@example.org",
            text=f"Früherer Kommentar {i}",
            status=Comment.Status.APPROVED,
        )
        Subscription.objects.create(
            article=other, email=f"abo{i}@example.org", kind="all", confirmed_at=timezone.now()
        )


@pytest.mark.parametrize("size", [0, 1, 20])
def test_posting_a_comment_costs_the_same_queries_whatever_is_stored(post, conf, queued, size):
    article = ArticleFactory(published=True)
    _fill(article, size)
    post(article, 0)  # warm the small caches (settings, discussion overrides)
    queries, comment = post(article, 1)
    assert queries == BUDGET
    assert comment.status == Comment.Status.APPROVED


def test_a_reply_costs_a_fixed_number_of_queries(post, conf, queued):
    article = ArticleFactory(published=True)
    _fill(article, 5)
    post(article, 0)
    _queries, parent = post(article, 1)
    queries, reply = post(article, 2, parent=str(parent.pk))
    assert reply.parent == parent
    assert queries == REPLY_BUDGET


def test_a_comment_nobody_would_hear_about_queues_no_notification_and_is_not_swept(
    post, conf, queued
):
    article = ArticleFactory(published=True)
    # Only its own author subscribed, an unconfirmed and an ended subscription:
    # nobody would be notified.
    Subscription.objects.create(
        article=article, email="erika1@example.org", kind="all", confirmed_at=timezone.now()
    )
    Subscription.objects.create(article=article, email="offen@example.org", kind="all")
    Subscription.objects.create(
        article=article,
        email="weg@example.org",
        kind="all",
        confirmed_at=timezone.now(),
        unsubscribed_at=timezone.now(),
    )
    _queries, comment = post(article, 1)
    assert queued == []
    assert comment.notified_at is not None
    assert not comments_missing_notifications(now=timezone.now() + timedelta(hours=1))


def test_a_comment_a_subscriber_would_hear_about_queues_the_notification(post, conf, queued):
    article = ArticleFactory(published=True)
    Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )
    _queries, comment = post(article, 1)
    assert queued == [comment.pk]
    assert comment.notified_at is None


def test_a_reply_to_a_replies_subscriber_queues_the_notification(post, conf, queued):
    article = ArticleFactory(published=True)
    _queries, parent = post(article, 1)
    Subscription.objects.create(
        article=article, email=parent.email, kind="replies", confirmed_at=timezone.now()
    )
    queued.clear()
    _queries, reply = post(article, 2, parent=str(parent.pk))
    assert queued == [reply.pk]


def test_a_held_comment_is_left_for_the_fan_out_at_its_approval(post, conf, queued):
    conf.mode = ModerationMode.PRE
    conf.save()
    article = ArticleFactory(published=True)
    _queries, comment = post(article, 1)
    assert comment.status == Comment.Status.PENDING
    assert comment.notified_at is None
    assert queued == []


def test_the_checks_query_runs_on_one_generic_plan(db):
    """The checks' one query is prepared and planned once per connection: its planning
    cost more than running it. A plan per value (custom) would mean PostgreSQL plans it
    on every post again (it did while the key's join hid the partial index's condition)."""
    from comments.policy import submission_facts

    article = ArticleFactory(published=True)
    # psycopg prepares it at the 5th run; PostgreSQL tries 5 custom plans, then decides.
    for number in range(16):
        submission_facts(
            article_id=article.pk,
            email=f"leser{number}@example.org",
            text="Ein Kommentar",
            ip="192.0.2.1",
            parent_id=None,
            parent_email="",
            feedback_point_id=None,
            submission_key="" if number % 2 else f"key-{number}",
            now=timezone.now(),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%%comments_subscription%%'"
        )
        ((generic, custom),) = cursor.fetchall()
    assert generic >= 5 and custom <= 5, (generic, custom)
