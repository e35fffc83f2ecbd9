"""Notification mails about new public comments, exactly once per address.

Flow: ``comment_approve``/``comment_post`` enqueue ``notify_subscribers`` on commit.
It decides the recipients and stores one ``NotificationDelivery`` per (comment,
address) — the unique constraint makes a second row impossible — marks the
comment ``notified_at`` in the same transaction, then enqueues ``send_deliveries``
in batches. If the task is never enqueued (the database dropped right after the
comment's commit) or never runs, ``sweep_missed_notifications`` (``manage.py
sweep_comment_notifications``, a periodic job) finds approved comments without
``notified_at`` and fans them out, once. Each delivery is *claimed* (pending/failed →
sending, in one UPDATE) before the mail goes out and marked ``sent`` after; a
failing mail server marks it ``failed`` with a back-off, and
``retry_due_deliveries`` (task and ``manage.py retry_comment_notifications``)
sends it later. A row that is ``sent`` is never claimed again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import mail
from comments.models import Comment, NotificationDelivery, Subscription

logger = logging.getLogger(__name__)

BATCH_SIZE = getattr(settings, "COMMENTS_NOTIFICATION_BATCH_SIZE", 50)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … minutes after the n-th failed attempt, at most six hours."""
    return timedelta(minutes=min(2**attempts, 360))


def recipients_for(comment: Comment) -> dict[str, Subscription]:
    """Active subscriptions that should hear about ``comment``, by address.

    "all" subscribers of the article, plus "replies" subscribers whose comment
    the new one answers. Never the comment's own author.
    """
    subs = Subscription.objects.filter(
        article_id=comment.article_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    parent_email = comment.parent.email if comment.parent else ""
    wanted = Q(kind=Subscription.Kind.ALL)
    if parent_email:
        wanted |= Q(kind=Subscription.Kind.REPLIES, email=parent_email)
    result: dict[str, Subscription] = {}
    for subscription in subs.filter(wanted).order_by("kind", "pk"):
        if subscription.email == comment.email:
            continue
        result.setdefault(subscription.email, subscription)
    return result


def fan_out(*, comment_id: int) -> list[int] | None:
    """Create the deliveries of a public comment, once; returns their ids.

    Returns None when there is nothing (more) to do: the comment is gone, not
    public, or its fan-out already happened. The comment row is locked while the
    deliveries are created and ``notified_at`` is set in the same transaction, so
    the task and the sweep (``sweep_missed_notifications``) running at the same
    time fan out once: the second waits for the lock and then finds it done.
    Side effects: ``NotificationDelivery`` rows (pending), ``Comment.notified_at``.
    """
    with transaction.atomic():
        comment = (
            Comment.objects.select_for_update()
            .filter(pk=comment_id, status=Comment.Status.APPROVED, notified_at__isnull=True)
            .first()
        )
        if comment is None:
            return None
        recipients = recipients_for(comment)
        NotificationDelivery.objects.bulk_create(
            [
                NotificationDelivery(comment=comment, subscription=sub, email=email)
                for email, sub in recipients.items()
            ],
            ignore_conflicts=True,
        )
        Comment.objects.filter(pk=comment.pk).update(notified_at=timezone.now())
        return list(
            NotificationDelivery.objects.filter(
                comment=comment, status=NotificationDelivery.Status.PENDING
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _enqueue_batches(ids: list[int]) -> None:
    """Queue the sending in batches. A delivery whose batch never runs stays pending
    and ``retry_due_deliveries`` sends it, so nothing is lost if queueing fails."""
    for start in range(0, len(ids), BATCH_SIZE):
        send_deliveries.enqueue(delivery_ids=ids[start : start + BATCH_SIZE])


@task()
def notify_subscribers(*, comment_id: int) -> int:
    """Fan out a public comment's notifications (``fan_out``) and enqueue the batches.

    Returns the number of deliveries queued; 0 when the fan-out was done already.
    """
    ids = fan_out(comment_id=comment_id)
    if not ids:
        return 0
    _enqueue_batches(ids)
    return len(ids)


# The task normally fans out within seconds of the approval; the sweep waits this
# long so that it only takes over what the task did not get to (enqueue lost to a
# database blip after the commit, a worker that was down).
SWEEP_GRACE = timedelta(minutes=2)


def comments_missing_notifications(*, grace: timedelta = SWEEP_GRACE, now=None):
    """Approved comments whose fan-out never happened, approved longer than ``grace`` ago."""
    now = now or timezone.now()
    return Comment.objects.filter(
        status=Comment.Status.APPROVED,
        notified_at__isnull=True,
        approved_at__lte=now - grace,
    )


def sweep_missed_notifications(
    *, grace: timedelta = SWEEP_GRACE, limit: int = 500, dry_run: bool = False
) -> int:
    """Do the fan-out of approved comments that never got it; returns how many comments.

    Exactly once per comment (``fan_out`` locks the row and records ``notified_at``),
    exactly one mail per address (the deliveries' unique constraint). Side effects:
    deliveries, ``notified_at``, queued ``send_deliveries`` tasks. With ``dry_run``
    only counts.
    """
    ids = list(
        comments_missing_notifications(grace=grace)
        .order_by("approved_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if dry_run:
        return len(ids)
    done = 0
    for comment_id in ids:
        delivery_ids = fan_out(comment_id=comment_id)
        if delivery_ids is None:
            continue  # the task got there first
        done += 1
        # A lost notification task is worth an operator's look when it cost mails.
        (logger.warning if delivery_ids else logger.info)(
            "comment %s: %s notifications created by the sweep", comment_id, len(delivery_ids)
        )
        try:
            _enqueue_batches(delivery_ids)
        except DatabaseError:
            logger.exception("comment %s: batches not queued; retried as due", comment_id)
    return done


def _claim(delivery_id: int) -> bool:
    """Atomically take a due delivery for sending; False if sent or taken elsewhere."""
    return bool(
        NotificationDelivery.objects.filter(
            pk=delivery_id,
            status__in=[NotificationDelivery.Status.PENDING, NotificationDelivery.Status.FAILED],
            next_attempt_at__lte=timezone.now(),
        ).update(
            status=NotificationDelivery.Status.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def _compose(delivery: NotificationDelivery):
    """The notification mail in the language of the subscription (the site language for a
    delivery whose subscription is gone), its unsubscribe link under that prefix."""
    comment = delivery.comment
    article = comment.article
    subscription = delivery.subscription
    language = mail.reader_language(subscription.language if subscription else None)
    with translation.override(language):
        comment_url = mail.absolute_url(f"{article.get_absolute_url()}#{comment.anchor}")
        is_reply = (
            delivery.subscription is not None
            and delivery.subscription.kind == Subscription.Kind.REPLIES
        )
        subject = (
            _("Neue Antwort auf Ihren Kommentar zu „%(headline)s“")
            if is_reply
            else _("Neuer Kommentar zu „%(headline)s“")
        ) % {"headline": article.headline}
        return mail.build_mail(
            to=delivery.email,
            subject=subject,
            template="notification",
            context={
                "comment": comment,
                "article": article,
                "is_reply": is_reply,
                "comment_url": comment_url,
                "article_url": mail.absolute_url(article.get_absolute_url()),
            },
            unsubscribe=mail.unsubscribe_url(
                subscription_id=delivery.subscription_id, email=delivery.email, language=language
            ),
            language=language,
        )


def deliver(delivery_id: int) -> bool:
    """Send one claimed delivery; True when sent. Failures are recorded for a retry."""
    if not _claim(delivery_id):
        return False
    delivery = NotificationDelivery.objects.select_related(
        "comment__article__section", "subscription"
    ).get(pk=delivery_id)
    still_wanted = delivery.comment.status == Comment.Status.APPROVED and (
        delivery.subscription is None or delivery.subscription.is_active
    )
    if not still_wanted:
        NotificationDelivery.objects.filter(pk=delivery_id).update(
            status=NotificationDelivery.Status.GAVE_UP, last_error="no longer wanted"
        )
        return False
    try:
        _compose(delivery).send()
    except Exception as exc:  # noqa: BLE001 — any mail server failure is retried later
        logger.warning("comment notification %s failed: %s", delivery_id, exc)
        status = (
            NotificationDelivery.Status.GAVE_UP
            if delivery.attempts >= MAX_ATTEMPTS
            else NotificationDelivery.Status.FAILED
        )
        NotificationDelivery.objects.filter(pk=delivery_id).update(
            status=status,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
        )
        return False
    NotificationDelivery.objects.filter(pk=delivery_id).update(
        status=NotificationDelivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


@task()
def send_deliveries(*, delivery_ids: list[int]) -> int:
    """Send a batch of deliveries; returns how many went out."""
    return sum(1 for delivery_id in delivery_ids if deliver(delivery_id))


def due_deliveries(*, now=None):
    now = now or timezone.now()
    return NotificationDelivery.objects.filter(
        status__in=[NotificationDelivery.Status.PENDING, NotificationDelivery.Status.FAILED],
        next_attempt_at__lte=now,
    )


STALE_CLAIM = timedelta(minutes=15)


def release_stale_claims(*, stale_after: timedelta = STALE_CLAIM, dry_run: bool = False) -> int:
    """Make deliveries claimed by a worker that died mid-send (still "sending" after
    ``stale_after``) due again; returns how many. Side effect: status → failed, due now.

    At-least-once: if the worker died after the mail left but before recording it,
    the reader gets it twice; without this it would never arrive.
    """
    stale = NotificationDelivery.objects.filter(
        status=NotificationDelivery.Status.SENDING,
        claimed_at__lt=timezone.now() - stale_after,
    )
    if dry_run:
        return stale.count()
    return stale.update(
        status=NotificationDelivery.Status.FAILED,
        next_attempt_at=timezone.now(),
        last_error="worker stopped while sending",
    )


def retry_due_deliveries(*, limit: int = 1000, dry_run: bool = False) -> int:
    """Send every due pending/failed delivery (after back-off), after freeing claims of
    dead workers. Returns the number sent (or, with ``dry_run``, the number due)."""
    if not dry_run:
        release_stale_claims()
    ids = list(due_deliveries().order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if dry_run:
        return len(ids)
    sent = 0
    for delivery_id in ids:
        # No surrounding transaction: each claim must be committed before its mail
        # goes out, so a concurrent worker never sends the same delivery.
        sent += deliver(delivery_id)
    return sent


def deliveries_retry_now(*, delivery_ids: list[int]) -> int:
    """Send the given pending or failed deliveries now, ignoring their back-off.

    Sent and in-flight deliveries are left alone (``deliver`` claims each first, so a
    concurrent worker never sends one twice). Returns the number sent.
    """
    due = NotificationDelivery.objects.filter(
        pk__in=delivery_ids,
        status__in=[NotificationDelivery.Status.PENDING, NotificationDelivery.Status.FAILED],
    )
    ids = list(due.values_list("pk", flat=True))
    NotificationDelivery.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
    return sum(1 for delivery_id in ids if deliver(delivery_id))


@task()
def retry_due_deliveries_task() -> int:
    """Task form of ``retry_due_deliveries`` for a periodic scheduler."""
    return retry_due_deliveries()
