"""Moderation of comments: approve, reject, spam, pin, and readers' reports.

Each decision writes an audit entry; the cache-purge signal and mails run on commit.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments import grounds
from comments.models import Comment, CommentReport, ModerationDecision, ModerationSettings
from comments.policy import ip_hash
from comments.services._effects import after_public, section_changed
from comments.services.notices import decision_record, second_moderator_check
from core.actors import acting_user
from core.audit import audit_log

logger = logging.getLogger(__name__)


def comment_approve(*, comment: Comment, actor: Any) -> Comment:
    """Make a comment public. Decision record and audit entry; open notices are
    settled (kept), an open review reversed; on commit: cache signal, notifications once.

    ``PermissionDenied`` when ``actor`` made the decision under an open review.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        second_moderator_check(comment=comment, actor=actor)
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
        decision_record(
            comment=comment, kind=ModerationDecision.Kind.APPROVE, actor=actor, from_status=before
        )
        if before != Comment.Status.APPROVED or first_time:
            after_public(comment, first_time=first_time)
    return comment


def comment_reject(
    *,
    comment: Comment,
    actor: Any,
    reason: str,
    ground: str = "rules_other",
    notify_author: bool = True,
) -> Comment:
    """Reject with a statement of reasons: a ground from the catalogue
    (``comments.grounds``) and the facts (``reason``, required).

    Decision record and audit entry; open notices are settled (removed), an open
    review upheld. The statement, with a review link, is mailed to the author on
    commit when they left an address (DSA Art. 17; ``notify_author=False`` only for
    callers that tell the author otherwise). ``PermissionDenied`` when ``actor``
    made the decision under an open review.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund für die Ablehnung an."))
    if ground not in grounds.BY_CODE:
        raise ValidationError(_("Bitte wählen Sie einen Grund aus dem Katalog."))
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        second_moderator_check(comment=comment, actor=actor)
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
            data={"mailed": bool(notify_author and comment.email), "ground": ground},
        )
        decision_record(
            comment=comment,
            kind=ModerationDecision.Kind.REJECT,
            actor=actor,
            ground=ground,
            facts=reason,
            notify_author=notify_author,
            from_status=before,
        )
        if before == Comment.Status.APPROVED:
            section_changed(comment.article_id)
    return comment


def comment_mark_spam(*, comment: Comment, actor: Any) -> Comment:
    """Move to the spam queue. Decision record, audit entry; cache signal if it was public.

    Spam gets no statement of reasons (DSA Art. 17(2): deceptive high-volume
    commercial content).
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        second_moderator_check(comment=comment, actor=actor)
        before = comment.status
        comment.status = Comment.Status.SPAM
        comment.reported_at = None
        comment.moderated_by = acting_user(actor)
        comment.save(update_fields=["status", "reported_at", "moderated_by"])
        audit_log(
            actor=actor, target=comment, action="comment.spam", from_state=before, to_state="spam"
        )
        decision_record(
            comment=comment,
            kind=ModerationDecision.Kind.SPAM,
            actor=actor,
            ground="rules_spam",
            from_status=before,
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
        # (An approved comment may already be in the Reported queue through a
        # notice, which leaves it visible: enough reader reports still hide it.)
        if (
            comment.report_count >= conf.reports_to_hide
            and comment.status == Comment.Status.APPROVED
        ):
            comment.status = Comment.Status.PENDING
            comment.reported_at = comment.reported_at or timezone.now()
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
