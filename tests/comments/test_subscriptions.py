"""Subscriptions and notifications: double opt-in, exactly one mail, one-click unsubscribe."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from comments import services, tokens
from comments.models import Comment, NotificationDelivery, Subscription


def _link(message, pattern: str) -> str:
    match = re.search(rf"https?://[^\s\"<>]*{pattern}[^\s\"<>]*", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def _approve(comment, django_capture_on_commit_callbacks, admin_user):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, actor=admin_user)


def _subscribe(client, article, email, kind="all", capture=None):
    with capture(execute=True):
        return client.post(f"/kommentare/{article.pk}/abonnieren/", {"email": email, "kind": kind})


@pytest.mark.django_db
def test_the_whole_life_of_a_subscription(
    client, article, conf, post_comment, django_capture_on_commit_callbacks
):
    # Subscribe with only an e-mail address.
    response = _subscribe(
        client, article, "leser@example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert "bestätigen" in response.text
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["leser@example.org"]
    assert article.headline in confirmation.subject
    assert confirmation.alternatives[0].mimetype == "text/html"

    # Before confirming, a new comment sends nothing.
    post_comment(article, text="Vor der Bestätigung geschrieben, bitte nicht mailen.")
    assert len(mail.outbox) == 1

    # Confirm: GET shows a button (link scanners do not confirm), POST confirms.
    confirm_path = _link(confirmation, "/kommentare/bestaetigen/")
    assert client.get(confirm_path).status_code == 200
    assert not Subscription.objects.get().is_active
    response = client.post(confirm_path)
    assert response.status_code == 200
    assert Subscription.objects.get().is_active

    # A new public comment: exactly one notification naming article and comment.
    mail.outbox.clear()
    post_comment(article, name="Max", email="max@example.org", text="Das ist der neue Kommentar.")
    assert len(mail.outbox) == 1
    notification = mail.outbox[0]
    assert notification.to == ["leser@example.org"]
    assert article.headline in notification.subject
    assert "Das ist der neue Kommentar." in notification.body
    assert "Das ist der neue Kommentar." in notification.alternatives[0].content
    assert notification.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Follow the unsubscribe link: GET shows a button, POST unsubscribes.
    unsubscribe_path = _link(notification, "/kommentare/abmelden/")
    assert notification.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe_path}>")
    assert client.get(unsubscribe_path).status_code == 200
    response = client.post(unsubscribe_path)
    assert response.status_code == 200
    assert "abgemeldet" in response.text

    # No more mail.
    mail.outbox.clear()
    post_comment(article, name="Max", email="max@example.org", text="Noch ein weiterer Kommentar.")
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_click_unsubscribe_works_without_csrf_token(article, conf):
    from django.test import Client

    subscription = Subscription.objects.create(
        article=article, email="a@example.org", kind="all", confirmed_at=timezone.now()
    )
    token = tokens.unsubscribe_token(subscription_id=subscription.pk)
    response = Client(enforce_csrf_checks=True).post(
        f"/kommentare/abmelden/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None


@pytest.mark.django_db
def test_a_confirmation_link_works_once(client, article, conf, django_capture_on_commit_callbacks):
    _subscribe(client, article, "once@example.org", capture=django_capture_on_commit_callbacks)
    path = _link(mail.outbox[0], "/kommentare/bestaetigen/")
    assert client.post(path).status_code == 200
    Subscription.objects.update(confirmed_at=None)
    response = client.post(path)
    assert response.status_code == 400
    assert not Subscription.objects.get().is_active


@pytest.mark.django_db
def test_an_expired_confirmation_link_is_refused(
    client, article, conf, django_capture_on_commit_callbacks, monkeypatch
):
    _subscribe(client, article, "late@example.org", capture=django_capture_on_commit_callbacks)
    path = _link(mail.outbox[0], "/kommentare/bestaetigen/")
    monkeypatch.setattr(tokens, "CONFIRM_MAX_AGE", -1)
    response = client.post(path)
    assert response.status_code == 400
    assert "abgelaufen" in response.text


@pytest.mark.django_db
def test_replies_subscribers_get_only_replies_to_their_comments(
    client, article, conf, post_comment, admin_user, django_capture_on_commit_callbacks
):
    post_comment(article, name="Anna", email="anna@example.org", text="Annas erster Beitrag hier.")
    anna_comment = Comment.objects.get(email="anna@example.org")
    Subscription.objects.create(
        article=article, email="anna@example.org", kind="replies", confirmed_at=timezone.now()
    )
    mail.outbox.clear()

    post_comment(article, name="Bert", email="bert@example.org", text="Ein neuer eigener Faden.")
    assert mail.outbox == []  # not a reply to Anna

    post_comment(
        article,
        name="Bert",
        email="bert@example.org",
        text="Eine Antwort an Anna, bitte benachrichtigen.",
        parent=anna_comment.pk,
    )
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "Antwort" in mail.outbox[0].subject


@pytest.mark.django_db
def test_unconfirmed_and_own_addresses_get_nothing(article, conf, post_comment):
    Subscription.objects.create(article=article, email="unbestaetigt@example.org", kind="all")
    Subscription.objects.create(
        article=article, email="erika@example.org", kind="all", confirmed_at=timezone.now()
    )
    post_comment(article)  # written by erika@example.org
    assert mail.outbox == []
    assert not NotificationDelivery.objects.exists()


@pytest.mark.django_db
def test_held_comments_notify_only_after_approval(
    article, conf, post_comment, admin_user, django_capture_on_commit_callbacks
):
    conf.mode = "pre"
    conf.save()
    Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert mail.outbox == []
    _approve(comment, django_capture_on_commit_callbacks, admin_user)
    assert [m.to for m in mail.outbox] == [["abo@example.org"]]
    # Approving again (e.g. after a report) never mails twice.
    _approve(comment, django_capture_on_commit_callbacks, admin_user)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_choosing_benachrichtigen_bei_while_commenting_asks_for_confirmation(
    article, conf, post_comment
):
    response = post_comment(article, notify="replies")
    assert response.status_code == 303
    subscription = Subscription.objects.get()
    assert subscription.kind == "replies" and not subscription.is_active
    assert len(mail.outbox) == 1
    assert "bestätigen" in mail.outbox[0].body


@pytest.mark.django_db
def test_confirmation_mails_are_rate_limited_per_address_and_per_ip(
    client, article, conf, django_capture_on_commit_callbacks
):
    conf.confirmation_mails_per_address_per_day = 2
    conf.confirmation_mails_per_ip_per_hour = 4
    conf.save()
    for _ in range(2):
        Subscription.objects.all().delete()
        response = _subscribe(
            client, article, "opfer@example.org", capture=django_capture_on_commit_callbacks
        )
        assert response.status_code == 200
    Subscription.objects.all().delete()
    response = _subscribe(
        client, article, "opfer@example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert len(mail.outbox) == 2

    _subscribe(client, article, "zwei@example.org", capture=django_capture_on_commit_callbacks)
    response = _subscribe(
        client, article, "drei@example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 429  # the fifth attempt from this IP within the hour
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_every_mail_carries_list_unsubscribe_headers(
    client, article, conf, post_comment, admin_user, django_capture_on_commit_callbacks
):
    _subscribe(client, article, "h@example.org", capture=django_capture_on_commit_callbacks)
    post_comment(article, email="autor@example.org", text="Wird gleich abgelehnt, mit Grund.")
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=comment, actor=admin_user, reason="Beleidigend.", notify_author=True
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.manage_link_request(email="autor@example.org", ip="198.51.100.1")
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/kommentare/abmelden/" in message.body
        assert message.alternatives and "/kommentare/abmelden/" in message.alternatives[0].content


@pytest.mark.django_db
def test_many_subscribers_are_mailed_in_batches(article, conf, post_comment, monkeypatch):
    from django.tasks.signals import task_enqueued

    from comments import notifications

    monkeypatch.setattr(notifications, "BATCH_SIZE", 3)
    batches = []

    def record(sender, task_result, **kwargs):
        if task_result.task.func is notifications.send_deliveries.func:
            batches.append(task_result.kwargs["delivery_ids"])

    task_enqueued.connect(record)
    request_finished = lambda: task_enqueued.disconnect(record)  # noqa: E731
    Subscription.objects.bulk_create(
        [
            Subscription(
                article=article, email=f"s{i}@example.org", kind="all", confirmed_at=timezone.now()
            )
            for i in range(7)
        ]
    )
    try:
        post_comment(article)
    finally:
        request_finished()
    assert [len(b) for b in batches] == [3, 3, 1]
    assert len(mail.outbox) == 7
    assert NotificationDelivery.objects.filter(status="sent").count() == 7


@pytest.mark.django_db
def test_a_subscription_of_an_old_address_needs_a_fresh_confirmation_after_unsubscribing(
    client, article, conf, django_capture_on_commit_callbacks
):
    Subscription.objects.create(
        article=article,
        email="zurueck@example.org",
        kind="all",
        confirmed_at=timezone.now() - timedelta(days=5),
        unsubscribed_at=timezone.now(),
    )
    _subscribe(client, article, "zurueck@example.org", capture=django_capture_on_commit_callbacks)
    assert not Subscription.objects.get().is_active
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_subscribing_with_javascript_gets_a_json_answer_and_a_confirmation_mail(
    client, article, conf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/kommentare/{article.pk}/abonnieren/",
            {"email": "skript@example.org", "kind": "all"},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["ok"] is True
    assert "E-Mail" in answer["message"]
    subscription = Subscription.objects.get(email="skript@example.org", article=article)
    assert not subscription.is_active
    assert [m.to for m in mail.outbox] == [["skript@example.org"]]


@pytest.mark.django_db
def test_subscribing_without_javascript_links_back_to_the_article(
    client, article, conf, django_capture_on_commit_callbacks
):
    response = _subscribe(
        client, article, "ohne-js@example.org", capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 200
    assert f'href="{article.get_absolute_url()}"' in response.text
