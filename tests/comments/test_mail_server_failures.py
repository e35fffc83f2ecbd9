"""Mails sent right away (the rejection notice) fail calmly when the mail server is
down: nothing stored is lost. (The manage-my-data link: tests/reliability/
test_manage_link_outage.py.)"""

import smtplib
from unittest import mock

import pytest

from comments import services
from comments.models import Comment
from core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def make_comment(article, **extra):
    return Comment.objects.create(
        article=article, name="Leserin", email="leserin@example.org", text="Ein Beitrag.", **extra
    )


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
