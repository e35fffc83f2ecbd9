"""Moderation of comments: approve, reject, spam, pin, and readers' reports.

Each decision writes an audit entry; the cache-purge signal and mails run on commit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import mail
from comments.models import Comment, CommentReport, ModerationSettings
from comments.policy import ip_hash
from comments.services._effects import after_public, section_changed
from core.actors import acting_user
from core.audit import audit_log

logger = logging.getLogger(__name__)


def comment_approve(*, comment: Comment, actor: Any) -> Comment:
    """Make a comment public. Audit entry; on commit: cache signal, notifications once."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = comment.status
        first_time = comment.approved_at is None
        comment.status = Comment.Status.APPROVED
        comment.approved_at = comment.approved_at or timezone.now()
        comment.reported_at = None
        comment.moderated_by = acting_user(actor)
        comment.save(update_fields=["status", "approved_at", "reported_at", "moderated_by"])
        audit_log(
            actor=actor,
            target=comment,
            action="comment.approve",
            from_state=before,
            to_state=comment.status,
        )
        if before != Comment.Status.APPROVED or first_time:
            after_public(comment, first_time=first_time)
    return comment


def comment_reject(
    *, comment: Comment, actor: Any, reason: str, notify_author: bool = False
) -> Comment:
    """Reject with a reason (required). Optionally mail the reason to the author."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund für die Ablehnung an."))
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        before = comment.status
        comment.status = Comment.Status.REJECTED
        comment.rejection_reason = reason
        comment.reported_at = None
        comment.moderated_by = acting_user(actor)
        comment.save(update_fields=["status", "rejection_reason", "reported_at", "moderated_by"])
        audit_log(
            actor=actor,
            target=comment,
            action="comment.reject",
            from_state=before,
            to_state=comment.status,
            note=reason,
            data={"mailed": bool(notify_author and comment.email)},
        )
        if before == Comment.Status.APPROVED:
            section_changed(comment.article_id)
        if notify_author and comment.email:
            transaction.on_commit(lambda: _mail_rejection(comment))
    return comment


def _mail_rejection(comment: Comment) -> None:
    """Tell the author why the comment was rejected (after the rejection committed).

    A mail server failure must not turn the moderator's stored decision into an
    error page: it is logged and written to the audit log, where the comment's
    history shows that the author was not told.
    """
    try:
        _send_rejection(comment)
    except mail.MAIL_SERVER_ERRORS as exc:
        logger.warning("rejection notice for comment %s failed: %s", comment.pk, exc)
        audit_log(
            actor=None,
            target=comment,
            action="comment.reject_notice_failed",
            note=_(
                "Die Benachrichtigung an die Verfasserin oder den Verfasser konnte nicht versendet werden."
            ),
        )


def _send_rejection(comment: Comment) -> None:
    with translation.override("de"):
        mail.send_mail_now(
            to=comment.email,
            subject=_("Ihr Kommentar zu „%(headline)s“ wurde nicht veröffentlicht")
            % {"headline": comment.article.headline},
            template="rejected",
            context={
                "comment": comment,
                "article": comment.article,
                "article_url": mail.absolute_url(comment.article.get_absolute_url()),
            },
            unsubscribe=mail.unsubscribe_url(email=comment.email),
        )


def comment_mark_spam(*, comment: Comment, actor: Any) -> Comment:
    """Move to the spam queue. Audit entry; cache signal if it was public."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        before = comment.status
        comment.status = Comment.Status.SPAM
        comment.reported_at = None
        comment.moderated_by = acting_user(actor)
        comment.save(update_fields=["status", "reported_at", "moderated_by"])
        audit_log(
            actor=actor, target=comment, action="comment.spam", from_state=before, to_state="spam"
        )
        if before == Comment.Status.APPROVED:
            section_changed(comment.article_id)
    return comment


def comment_pin(*, comment: Comment, actor: Any, pinned: bool = True) -> Comment:
    """Pin (feature) or unpin a comment. Audit entry; cache signal."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.is_pinned = pinned
        comment.save(update_fields=["is_pinned"])
        audit_log(actor=actor, target=comment, action="comment.pin" if pinned else "comment.unpin")
        if comment.status == Comment.Status.APPROVED:
            section_changed(comment.article_id)
    return comment


def comment_report(*, comment: Comment, reason: str, note: str = "", ip: str | None) -> bool:
    """A reader reports a comment; one report per reader (IP hash) and comment.

    At ``reports_to_hide`` reports the comment is hidden and lands in the
    Reported queue (cache signal on commit). Returns False for a repeated report.
    """
    if reason not in CommentReport.Reason.values:
        raise ValidationError(_("Bitte wählen Sie einen Grund."))
    conf = ModerationSettings.get()
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        _report, created = CommentReport.objects.get_or_create(
            comment=comment, ip_hash=ip_hash(ip), defaults={"reason": reason, "note": note[:500]}
        )
        if not created:
            return False
        comment.report_count += 1
        fields = ["report_count"]
        if (
            comment.report_count >= conf.reports_to_hide
            and comment.status == Comment.Status.APPROVED
            and comment.reported_at is None
        ):
            comment.status = Comment.Status.PENDING
            comment.reported_at = timezone.now()
            comment.moderation_reasons = [
                *comment.moderation_reasons,
                {"code": "reported", "outcome": "hold", "detail": str(comment.report_count)},
            ]
            fields += ["status", "reported_at", "moderation_reasons"]
            audit_log(
                actor=None,
                target=comment,
                action="comment.reported",
                from_state=Comment.Status.APPROVED,
                to_state=Comment.Status.PENDING,
            )
            section_changed(comment.article_id)
        comment.save(update_fields=fields)
    return True
