"""The sweep for approved comments whose notifications were never created."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from comments import notifications, services
from comments.models import Comment, NotificationDelivery, Subscription


@pytest.fixture
def subscriber(article):
    return Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )


def _lose_the_task(settings):
    """Queued tasks never run (Django's dummy backend: as with a worker that is down, or a
    task lost when the database dropped after the commit)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.mark.django_db
def test_a_moderator_approval_whose_task_was_lost_is_notified_by_the_sweep_once(
    article, conf, subscriber, admin_user, django_capture_on_commit_callbacks, settings
):
    comment = Comment.objects.create(
        article=article, name="Erika", email="erika@example.org", text="Wartet auf Freigabe."
    )
    _lose_the_task(settings)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=comment, actor=admin_user)
    assert notifications.sweep_missed_notifications() == 0  # within the grace period
    Comment.objects.update(approved_at=timezone.now() - timedelta(minutes=10))
    assert notifications.sweep_missed_notifications(dry_run=True) == 1
    call_command("sweep_comment_notifications", verbosity=0)
    assert NotificationDelivery.objects.get().status == NotificationDelivery.Status.PENDING
    call_command("retry_comment_notifications", verbosity=0)  # sends what no worker ran
    assert [m.to for m in mail.outbox] == [["abo@example.org"]]
    # Neither a second sweep nor the late task adds anything.
    assert notifications.sweep_missed_notifications() == 0
    assert notifications.notify_subscribers.call(comment_id=comment.pk) == 0
    assert NotificationDelivery.objects.count() == 1


@pytest.mark.django_db
def test_the_normal_task_marks_the_comment_so_the_sweep_leaves_it_alone(
    article, conf, subscriber, post_comment
):
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.notified_at is not None
    assert len(mail.outbox) == 1
    Comment.objects.update(approved_at=timezone.now() - timedelta(hours=1))
    assert notifications.sweep_missed_notifications() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_hidden_comments_are_not_swept_until_they_are_public_again(
    article, conf, subscriber, post_comment, settings
):
    _lose_the_task(settings)
    post_comment(article)
    Comment.objects.update(
        status=Comment.Status.PENDING, approved_at=timezone.now() - timedelta(hours=1)
    )
    assert notifications.sweep_missed_notifications() == 0
    Comment.objects.update(status=Comment.Status.APPROVED)
    assert notifications.sweep_missed_notifications() == 1
