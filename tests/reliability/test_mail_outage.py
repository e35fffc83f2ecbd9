"""Mail server down: comments and subscription requests are stored, the reader
gets a clear answer (never a 500), and once the server is back the retry command
delivers every mail exactly once, to a real SMTP server (tests/support/smtp_sink.py).

Transactional: on-commit work (notification tasks, the confirmation mail) runs
inside the request as in production, so the answer the reader sees is the one
given after the mail server refused.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import (
    Comment,
    ModerationMode,
    ModerationSettings,
    NotificationDelivery,
    Subscription,
)
from comments.services import comment_approve
from core.env import smtp_mailer
from tests.comments.conftest import form_ts
from tests.factories import ArticleFactory, UserFactory
from tests.support.servers import free_port
from tests.support.smtp_sink import smtp_sink

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # a real SMTP server


@pytest.fixture
def smtp_port(settings) -> int:
    """MAILERS points at an SMTP server on this port, which nobody listens on yet."""
    port = free_port()
    settings.MAILERS = {"default": smtp_mailer(host="127.0.0.1", port=port, timeout=3)}
    return port


@pytest.fixture
def article(db):
    conf = ModerationSettings.get()
    conf.mode = ModerationMode.PRE  # held first, then approved by a moderator
    conf.min_seconds_to_fill = 0
    conf.save()
    return ArticleFactory(published=True)


def _all_due() -> None:
    NotificationDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_notifications_wait_while_smtp_is_down_and_arrive_exactly_once_after(
    client, smtp_port, article
):
    for address in ("abo1@example.org", "abo2@example.org"):
        Subscription.objects.create(
            article=article, email=address, kind="all", confirmed_at=timezone.now()
        )
    response = client.post(
        f"/kommentare/{article.pk}/schreiben/",
        {"name": "Erika", "email": "erika@example.org", "text": "Ein Kommentar.", "ts": form_ts()},
    )
    assert response.status_code == 303  # the reader gets the normal answer
    comment = Comment.objects.get()
    moderator = UserFactory(username="moderatorin", is_staff=True)
    comment_approve(comment=comment, actor=moderator)  # notifications run now and fail

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    deliveries = NotificationDelivery.objects.all()
    assert {d.email for d in deliveries} == {"abo1@example.org", "abo2@example.org"}
    assert {d.status for d in deliveries} == {NotificationDelivery.Status.FAILED}
    assert all("Connection" in d.last_error for d in deliveries), [d.last_error for d in deliveries]

    # Still down: the retry fails again, nothing is lost or marked sent.
    _all_due()
    call_command("retry_comment_notifications", verbosity=0)
    assert set(NotificationDelivery.objects.values_list("status", flat=True)) == {"failed"}

    with smtp_sink(port=smtp_port) as sink:
        # Back-off: not due yet, so nothing is sent before its time.
        call_command("retry_comment_notifications", verbosity=0)
        assert sink.received == []
        _all_due()
        call_command("retry_comment_notifications", verbosity=0)
        assert sorted(sink.recipients()) == ["abo1@example.org", "abo2@example.org"]
        assert all(
            "Ein Kommentar." in m.message.get_body(("plain",)).get_content() for m in sink.received
        )
        # Again, and with every row due: nothing more.
        _all_due()
        call_command("retry_comment_notifications", verbosity=0)
        assert len(sink.received) == 2
    assert set(NotificationDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_subscription_made_while_smtp_is_down_is_kept_and_confirmed_later(
    client, smtp_port, article
):
    response = client.post(
        f"/kommentare/{article.pk}/abonnieren/",
        {"email": "leserin@example.org", "kind": "all"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert "gespeichert" in response.json()["message"]
    assert "automatisch" in response.json()["message"]
    # The same while commenting with "Benachrichtigen bei".
    response = client.post(
        f"/kommentare/{article.pk}/schreiben/",
        {
            "name": "Bert",
            "email": "bert@example.org",
            "text": "Ich möchte informiert werden.",
            "ts": form_ts(),
            "notify": "replies",
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201
    assert "automatisch" in response.json()["message"]
    assert Comment.objects.filter(email="bert@example.org").exists()
    pending = Subscription.objects.filter(confirmation_sent_at__isnull=True)
    assert sorted(pending.values_list("email", flat=True)) == [
        "bert@example.org",
        "leserin@example.org",
    ]

    with smtp_sink(port=smtp_port) as sink:
        call_command("retry_comment_notifications", verbosity=0)
        assert sorted(sink.recipients()) == ["bert@example.org", "leserin@example.org"]
        call_command("retry_comment_notifications", verbosity=0)
        assert len(sink.received) == 2  # sent once
        [mail] = [m for m in sink.received if m.rcpt_to == ["leserin@example.org"]]
    body = mail.message.get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/kommentare/bestaetigen/[^/\s]+/)", body).group(1)
    response = client.post(path)
    assert response.status_code == 200
    assert Subscription.objects.get(email="leserin@example.org").is_active
