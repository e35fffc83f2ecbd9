"""PostgreSQL drops right after a comment's commit: the poster is told the comment is
stored, sending it again stores nothing new, and the sweep creates its subscribers'
notifications exactly once. A real fault: the test process talks to PostgreSQL
through tests/reliability/dbproxy.py and cuts it at the moment after the commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from comments.models import (
    Comment,
    ModerationMode,
    ModerationSettings,
    NotificationDelivery,
    Subscription,
)
from comments.signals import comment_published
from tests.comments.conftest import form_ts
from tests.factories import ArticleFactory
from tests.reliability.dbproxy import DatabaseProxy

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_through_proxy(transactional_db, settings):
    """This process's database connection runs through a proxy the test can cut."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    config = connection.settings_dict
    if config["HOST"].startswith("/"):
        proxy = DatabaseProxy(unix_socket=f"{config['HOST']}/.s.PGSQL.{config['PORT'] or 5432}")
    else:
        proxy = DatabaseProxy(address=(config["HOST"], int(config["PORT"] or 5432)))
    saved = {key: config[key] for key in ("HOST", "PORT")}
    connection.close()
    config.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        yield proxy
    finally:
        proxy.up()
        connection.close()
        config.update(saved)
        connection.close()
        proxy.close()


def _cut_after_commit(proxy):
    """Cut the database when the stored comment is announced (on commit, before the
    notification task is queued)."""

    def receiver(sender, comment, **kwargs):
        proxy.down()

    comment_published.connect(receiver, weak=False, dispatch_uid="cut-db")
    return lambda: comment_published.disconnect(dispatch_uid="cut-db")


def _recover(proxy):
    proxy.up()
    connection.close()  # what the next request's close_old_connections does


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "plain-form"])
def test_a_database_blip_after_the_commit_tells_the_truth_and_loses_no_notification(
    db_through_proxy, javascript
):
    conf = ModerationSettings.get()
    conf.mode = ModerationMode.POST
    conf.save()
    article = ArticleFactory(published=True)
    Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )
    client = Client()
    payload = {
        "name": "Erika Muster",
        "email": "erika@example.org",
        "text": "Gespeichert, obwohl die Datenbank gleich danach wegbricht.",
        "ts": form_ts(),
        "website": "",
        "key": "blip" * 8,
    }
    headers = {"Accept": "application/json"} if javascript else {}
    url = f"/kommentare/{article.pk}/schreiben/"

    disconnect = _cut_after_commit(db_through_proxy)
    try:
        response = client.post(url, payload, headers=headers)
    finally:
        disconnect()
    assert not db_through_proxy._up.is_set()  # the database really was cut mid-request
    if javascript:
        assert response.status_code == 201
        assert response.json()["ok"] is True
        assert "veröffentlicht" in response.json()["message"]
    else:
        assert response.status_code == 303  # to the comment, with the success message
        assert "#kommentar-" in response["Location"]

    _recover(db_through_proxy)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert comment.notified_at is None  # the notification task was lost with the connection
    assert not NotificationDelivery.objects.exists()

    # The poster, unsure, sends it again: one comment, the same answer.
    again = client.post(url, payload, headers=headers)
    assert again.status_code == (200 if javascript else 303)
    assert Comment.objects.count() == 1

    # The periodic sweep makes good the notifications, once.
    call_command("sweep_comment_notifications", grace=3600, verbosity=0)
    assert not NotificationDelivery.objects.exists()  # too recent: the task may still come
    Comment.objects.update(approved_at=timezone.now() - timedelta(minutes=5))
    call_command("sweep_comment_notifications", verbosity=0)
    call_command("sweep_comment_notifications", verbosity=0)
    delivery = NotificationDelivery.objects.get()
    assert delivery.email == "abo@example.org"
    assert Comment.objects.get().notified_at is not None
    # The queued batch runs in the worker; the periodic retry sends it as well, never twice.
    call_command("retry_comment_notifications", verbosity=0)
    call_command("retry_comment_notifications", verbosity=0)
    assert [m.to for m in mail.outbox] == [["abo@example.org"]]
    assert NotificationDelivery.objects.get().status == NotificationDelivery.Status.SENT
