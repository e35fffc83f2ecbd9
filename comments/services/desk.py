"""The moderation desk's own writes: moderator notes and undoing one's own decision."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.models import BannedAddress, Comment, ModerationDecision, ModeratorNote
from comments.services._effects import after_public, section_changed
from core.actors import acting_user
from core.audit import audit_log


def note_add(*, comment: Comment, actor: Any, text: str) -> ModeratorNote:
    """A note about ``comment`` for the other moderators. Audit entry."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Die Notiz ist leer."))
    with transaction.atomic():
        note = ModeratorNote.objects.create(
            comment=comment, author=acting_user(actor), text=text[:2000]
        )
        audit_log(actor=actor, target=comment, action="comment.note", note=note.text)
    return note


def decision_undo(*, decision: ModerationDecision, actor: Any) -> Comment:
    """Undo one's own latest decision about a comment: its status before comes back.

    Only the moderator who decided, only the comment's latest decision, only once.
    A ban made with it (``BannedAddress`` by the same moderator since the decision)
    is lifted too. Mails already sent (a statement of reasons) are not called back;
    the next decision sends its own. Audit entry; cache signal on commit.
    """
    user = acting_user(actor)
    with transaction.atomic():
        decision = ModerationDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.comment_id is None or user is None or decision.actor_id != user.pk:
            raise PermissionDenied(_("Nur die eigene Entscheidung lässt sich rückgängig machen."))
        comment = Comment.objects.select_for_update().get(pk=decision.comment_id)
        latest = comment.decisions.exclude(kind=ModerationDecision.Kind.HOLD).first()
        if decision.undone_at is not None or latest is None or latest.pk != decision.pk:
            raise ValidationError(_("Über diesen Kommentar wurde inzwischen neu entschieden."))
        before = comment.status
        restored = decision.from_status or Comment.Status.PENDING
        comment.status = restored
        comment.moderated_by = user
        comment.save(update_fields=["status", "moderated_by"])
        decision.undone_at = timezone.now()
        decision.save(update_fields=["undone_at"])
        lifted = 0
        if comment.email:
            lifted, _detail = BannedAddress.objects.filter(
                email=comment.email, created_by=user, created_at__gte=decision.created_at
            ).delete()
        audit_log(
            actor=actor,
            target=comment,
            action="comment.undo",
            from_state=before,
            to_state=restored,
            data={"decision": decision.pk, "ban_lifted": bool(lifted)},
        )
        if restored == Comment.Status.APPROVED:
            after_public(comment, first_time=False)
        elif before == Comment.Status.APPROVED:
            section_changed(comment.article_id)
    return comment
