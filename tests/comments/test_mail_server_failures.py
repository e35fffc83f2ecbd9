"""Mails sent right away (manage-my-data link, rejection notice) fail calmly when
the mail server is down: a clear message, nothing stored is lost."""

import smtplib
from unittest import mock

import pytest

from comments import services
from comments.models import Comment
from newsroom.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def make_comment(article, **extra):
    return Comment.objects.create(
        article=article, name="Leserin", email="leserin@example.org", text="Ein Beitrag.", **extra
    )


def test_asking_for_the_manage_link_while_the_mail_server_is_down_says_try_again(client, article):
    make_comment(article)
    with mock.patch("comments.mail.send_mail_now", side_effect=DOWN):
        response = client.post("/kommentare/meine-daten/", {"email": "leserin@example.org"})
    assert response.status_code == 503
    assert response["Retry-After"] == "300"
    assert "gerade nicht versenden" in response.content.decode()


def test_a_rejection_is_kept_when_its_notice_cannot_be_mailed(
    article, django_capture_on_commit_callbacks
):
    comment = make_comment(article, status=Comment.Status.PENDING)
    moderator = UserFactory(username="moderation", is_staff=True)
    with (
        mock.patch("comments.mail.send_mail_now", side_effect=DOWN),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.comment_reject(
            comment=comment, actor=moderator, reason="Beleidigend", notify_author=True
        )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert AuditEntry.objects.filter(
        object_id=str(comment.pk), action="comment.reject_notice_failed"
    ).exists()
