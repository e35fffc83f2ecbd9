"""When the mail server fails, the comment is safe and each notification is sent
exactly once after a retry."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, NotificationDelivery, Subscription
from comments.notifications import deliver, retry_due_deliveries


class FailingBackend(EmailBackend):
    """Like the outbox backend, but the server refuses every message."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Verbindung verloren")


@pytest.fixture
def subscribers(article):
    return Subscription.objects.bulk_create(
        [
            Subscription(
                article=article,
                email=f"abo{i}@example.org",
                kind="all",
                confirmed_at=timezone.now(),
            )
            for i in range(3)
        ]
    )


def _due_now():
    NotificationDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


@pytest.mark.django_db
def test_an_smtp_failure_followed_by_a_retry_delivers_each_notification_exactly_once(
    settings, article, conf, subscribers, post_comment
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    response = post_comment(article)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED  # the comment is safe
    assert set(NotificationDelivery.objects.values_list("status", flat=True)) == {"failed"}
    assert NotificationDelivery.objects.filter(next_attempt_at__gt=timezone.now()).count() == 3
    assert retry_due_deliveries() == 0  # back-off: not due yet

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    _due_now()
    call_command("retry_comment_notifications", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == [f"abo{i}@example.org" for i in range(3)]

    # Running the retry again, or the whole notification again, sends nothing more.
    _due_now()
    assert retry_due_deliveries() == 0
    from comments.notifications import notify_subscribers

    notify_subscribers.enqueue(comment_id=comment.pk)
    assert len(mail.outbox) == 3
    assert NotificationDelivery.objects.filter(status="sent", attempts=2).count() == 3


@pytest.mark.django_db
def test_a_delivery_claimed_elsewhere_is_not_sent_again(article, conf, subscribers, post_comment):
    post_comment(article)
    delivery = NotificationDelivery.objects.first()
    NotificationDelivery.objects.filter(pk=delivery.pk).update(status="sending")
    assert deliver(delivery.pk) is False
    assert NotificationDelivery.objects.filter(comment=delivery.comment).count() == 3


@pytest.mark.django_db
def test_the_retry_command_has_a_dry_run(settings, article, conf, subscribers, post_comment):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    post_comment(article)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    _due_now()
    from io import StringIO

    out = StringIO()
    call_command("retry_comment_notifications", "--dry-run", stdout=out)
    assert "3 Benachrichtigungen sind fällig" in out.getvalue()
    assert mail.outbox == []


@pytest.mark.django_db
def test_retry_now_in_the_admin_sends_failed_deliveries_at_once_and_sent_ones_never_again(
    settings, admin_client, article, conf, subscribers, post_comment
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    post_comment(article)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    ids = list(NotificationDelivery.objects.values_list("pk", flat=True))
    for _round in range(2):  # the second time everything is sent already
        admin_client.post(
            "/admin/comments/notificationdelivery/",
            {"action": "retry_now", "_selected_action": ids},
        )
    assert sorted(m.to[0] for m in mail.outbox) == [f"abo{i}@example.org" for i in range(3)]
    assert set(NotificationDelivery.objects.values_list("status", flat=True)) == {"sent"}
