"""Readers' own data (DSGVO): the manage-my-data link, removing subscriptions and
comments of an address, and purging stored IP addresses after the retention period.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from comments.mail import reader_language
from comments.manage_links import send_manage_link
from comments.models import Comment, ModerationSettings, Subscription, normalise_email
from comments.policy import ip_hash
from comments.services._effects import section_changed
from comments.services.subscriptions import limit_confirmation_mails
from core.audit import audit_log


def manage_link_request(
    *, email: str, ip: str | None, language: str = settings.LANGUAGE_CODE
) -> None:
    """Ask for a link to the manage-my-data page (rate-limited like confirmation mails).

    Raises ``RateLimited``, never anything about the mail server: the same work
    is done for every address (no enumeration, not even by timing). Side effect:
    ``manage_links.send_manage_link`` is enqueued on commit; it mails the link
    only when the address has comments or subscriptions, in ``language`` (the
    language of the page the reader asked on), and retries while the mail server
    is down.
    """
    email = normalise_email(email)
    validate_email(email)
    limit_confirmation_mails(email=email, ip=ip, conf=ModerationSettings.get())
    language = reader_language(language)
    transaction.on_commit(lambda: send_manage_link.enqueue(email=email, language=language))


def subscription_remove(*, email: str, subscription_id: int | None = None) -> int:
    """End one (or with ``subscription_id=None`` every) subscription of an address."""
    qs = Subscription.objects.filter(email=normalise_email(email), unsubscribed_at__isnull=True)
    if subscription_id is not None:
        qs = qs.filter(pk=subscription_id)
    with transaction.atomic():
        return qs.update(unsubscribed_at=timezone.now(), confirmation_nonce="")


def address_comments_delete(*, email: str) -> int:
    """Delete every comment of an address (DSGVO).

    Comments with replies of others stay as an empty "deleted" placeholder so the
    others' replies keep their thread; all others are deleted. The address's
    subscriptions end too. Cache signal for each affected article on commit.
    """
    email = normalise_email(email)
    with transaction.atomic():
        comments = Comment.objects.filter(email=email)
        article_ids = set(comments.values_list("article_id", flat=True))
        with_replies = comments.annotate(n=Count("replies")).filter(n__gt=0)
        kept = list(with_replies.values_list("pk", flat=True))
        Comment.objects.filter(pk__in=kept).update(
            name="",
            email="",
            text="",
            text_hash="",
            ip=None,
            user_agent="",
            user=None,
            is_removed=True,
        )
        deleted = comments.exclude(pk__in=kept).count()
        comments.exclude(pk__in=kept).delete()
        subscription_remove(email=email)
        audit_log(
            actor=None,
            target=ModerationSettings.get(),
            action="comment.address_deleted",
            data={"deleted": deleted, "anonymised": len(kept), "address_hash": ip_hash(email)},
        )
        for article_id in article_ids:
            section_changed(article_id)
    return deleted + len(kept)


def purge_comment_ips(*, older_than_days: int, dry_run: bool = False) -> int:
    """Remove IP addresses (and browser strings) of comments older than N days."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    qs = Comment.objects.filter(created_at__lt=cutoff).filter(
        Q(ip__isnull=False) | ~Q(user_agent="")
    )
    if dry_run:
        return qs.count()
    with transaction.atomic():
        return qs.update(ip=None, user_agent="")
