"""DSA notice-and-action: notices (Art. 16), statements of reasons (Art. 17) and
reviews (Art. 20), with the records the transparency report counts (Art. 24).

- ``notice_submit``: anyone reports a comment as illegal or against the rules; the
  comment lands in the Reported queue (it stays visible until a moderator decides);
  a confirmation mail goes to the reporter on commit.
- ``decision_record``: every decision about a comment (automated holds and
  rejections too) is stored; called by the moderation and posting services inside
  their transaction. A decision settles the comment's open notices (their reporters
  are mailed on commit) and its open review; a rejection mails the author the
  statement of reasons with a review link.
- ``review_request``: the author of a rejected comment asks for a review; the
  comment is reopened in the Reported queue for a second moderator.
- ``second_moderator_check``: raises when the moderator whose decision is under
  review would decide the review.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import grounds, mail, tokens
from comments.models import Comment, ModerationDecision, Notice, ReviewRequest, normalise_email
from core.actors import acting_user
from core.audit import audit_log

logger = logging.getLogger(__name__)


def notice_submit(
    *,
    comment: Comment,
    ground: str,
    explanation: str,
    name: str = "",
    email: str = "",
    good_faith: bool,
    language: str = "de",
) -> Notice:
    """Store a notice about ``comment`` and put the comment in the Reported queue.

    Raises ``ValidationError`` for an unknown ground, a missing explanation or
    good-faith statement, or a missing name or address where the law asks for them
    (every ground but the one Art. 16(2)(c) exempts). Audit entry; on commit: the
    confirmation mail when an address was given.
    """
    if ground not in grounds.BY_CODE:
        raise ValidationError(_("Bitte wählen Sie einen Grund."), code="ground")
    explanation = (explanation or "").strip()
    if not explanation:
        raise ValidationError(
            _(
                "Bitte erklären Sie, warum der Kommentar rechtswidrig ist oder gegen die Regeln verstößt."
            ),
            code="explanation",
        )
    if not good_faith:
        raise ValidationError(
            _("Bitte bestätigen Sie, dass Ihre Angaben nach bestem Wissen richtig sind."),
            code="good_faith",
        )
    name, email = (name or "").strip(), normalise_email(email)
    if not grounds.ground(ground).anonymous and not (name and email):
        raise ValidationError(
            _("Bitte geben Sie Ihren Namen und Ihre E-Mail-Adresse an."), code="email"
        )
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        notice = Notice.objects.create(
            comment=locked,
            ground=ground,
            explanation=explanation[:5000],
            name=name[:120],
            email=email,
            good_faith=True,
            language=language if language in ("de", "en") else "de",
        )
        if locked.reported_at is None:
            locked.reported_at = timezone.now()
            locked.save(update_fields=["reported_at"])
        audit_log(actor=None, target=notice, action="notice.submit", data={"ground": ground})
        if email:
            transaction.on_commit(lambda: _mail_safely(notice, "notice_received", _send_received))
    return notice


def decision_record(
    *,
    comment: Comment,
    kind: str,
    actor: Any = None,
    automated: bool = False,
    ground: str = "",
    facts: str = "",
    notify_author: bool = True,
    from_status: str = "",
) -> ModerationDecision:
    """Store a decision (inside the caller's transaction) and settle what waits on it.

    Open notices of the comment are decided (reporters mailed on commit); an open
    review is closed (upheld for a rejection or spam, reversed for an approval);
    a rejection mails its statement of reasons to the author on commit when the
    comment has an address. A hold settles nothing.
    """
    decision = ModerationDecision.objects.create(
        comment=comment,
        kind=kind,
        automated=automated,
        ground=ground,
        facts=facts,
        actor=acting_user(actor),
        from_status=from_status,
    )
    if kind == ModerationDecision.Kind.HOLD:
        return decision
    now = decision.created_at
    removed = kind in (ModerationDecision.Kind.REJECT, ModerationDecision.Kind.SPAM)
    notices = list(Notice.objects.filter(comment=comment, decided_at__isnull=True))
    for notice in notices:
        notice.decided_at = now
        notice.outcome = Notice.Outcome.REMOVED if removed else Notice.Outcome.KEPT
        notice.decision = decision
        notice.save(update_fields=["decided_at", "outcome", "decision"])
        audit_log(actor=actor, target=notice, action="notice.decide", to_state=notice.outcome)
        if notice.email:
            transaction.on_commit(
                partial(_mail_safely, notice, "notice_decided", _send_notice_decided)
            )
    review = (
        ReviewRequest.objects.filter(comment=comment, decided_at__isnull=True)
        .select_related("notice")
        .first()
    )
    if review is not None and review.notice_id is not None:
        # A notifier's complaint about a comment kept: removing it reverses that.
        review.decided_at = now
        review.decided_by = acting_user(actor)
        review.outcome = ReviewRequest.Outcome.REVERSED if removed else ReviewRequest.Outcome.UPHELD
        review.save(update_fields=["decided_at", "decided_by", "outcome"])
        audit_log(actor=actor, target=review, action="review.decide", to_state=review.outcome)
        if review.notice is not None and review.notice.email:
            transaction.on_commit(
                partial(_mail_safely, review, "review_decided", _send_notice_review_decided)
            )
    elif review is not None:
        review.decided_at = now
        review.decided_by = acting_user(actor)
        review.outcome = ReviewRequest.Outcome.UPHELD if removed else ReviewRequest.Outcome.REVERSED
        review.save(update_fields=["decided_at", "decided_by", "outcome"])
        audit_log(actor=actor, target=review, action="review.decide", to_state=review.outcome)
        if not removed and comment.email:
            transaction.on_commit(
                lambda: _mail_safely(review, "review_reversed", _send_review_reversed)
            )
    if kind == ModerationDecision.Kind.REJECT and comment.email and notify_author:
        decision.author_notified = True
        decision.save(update_fields=["author_notified"])
        transaction.on_commit(lambda: _mail_statement(decision))
    return decision


def second_moderator_check(*, comment: Comment, actor: Any) -> None:
    """``PermissionDenied`` when ``actor`` made the decision whose review is open."""
    user = acting_user(actor)
    if user is None:
        return
    review = (
        ReviewRequest.objects.filter(comment=comment, decided_at__isnull=True)
        .select_related("decision")
        .first()
    )
    if review is not None and review.decision.actor_id == user.pk:
        raise PermissionDenied(
            _(
                "Über diesen Widerspruch entscheidet eine zweite Person: Sie haben die "
                "Entscheidung selbst getroffen."
            )
        )


def review_decision(token: str) -> ModerationDecision:
    """The rejection a review link names; ``ValidationError`` for a bad or old link."""
    from django.core import signing

    try:
        decision_id = tokens.read_review_token(token)
    except signing.BadSignature:
        raise ValidationError(
            _("Dieser Link ist ungültig oder abgelaufen."), code="token"
        ) from None
    decision = (
        ModerationDecision.objects.select_related("comment__article")
        .filter(pk=decision_id, kind=ModerationDecision.Kind.REJECT, comment__isnull=False)
        .first()
    )
    if decision is None:
        raise ValidationError(_("Dieser Link ist ungültig oder abgelaufen."), code="token")
    return decision


def notice_review_notice(token: str) -> Notice:
    """The kept notice a notifier's complaint link names; ``ValidationError`` for a bad link."""
    from django.core import signing

    try:
        notice_id = tokens.read_notice_review_token(token)
    except signing.BadSignature:
        raise ValidationError(
            _("Dieser Link ist ungültig oder abgelaufen."), code="token"
        ) from None
    notice = (
        Notice.objects.select_related("comment__article", "decision__actor")
        .filter(pk=notice_id, outcome=Notice.Outcome.KEPT, comment__isnull=False)
        .first()
    )
    if notice is None or notice.decision is None:
        raise ValidationError(_("Dieser Link ist ungültig oder abgelaufen."), code="token")
    return notice


def notice_review_request(*, notice: Notice, explanation: str = "") -> ReviewRequest:
    """The notifier complains that the comment was kept (DSA Art. 20): the comment goes
    back to the Reported queue (it stays visible) for a moderator other than the one
    who kept it. A second request while one is open returns the open one; after a
    newer decision ``ValidationError``. Audit entry."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=notice.comment_id or 0)
        open_review = ReviewRequest.objects.filter(comment=comment, decided_at__isnull=True).first()
        if open_review is not None:
            return open_review
        latest = comment.decisions.exclude(kind=ModerationDecision.Kind.HOLD).first()
        if notice.decision is None or latest is None or latest.pk != notice.decision_id:
            raise ValidationError(
                _("Über diesen Kommentar wurde inzwischen neu entschieden."), code="decided"
            )
        review = ReviewRequest.objects.create(
            decision=notice.decision,
            comment=comment,
            notice=notice,
            explanation=(explanation or "").strip()[:5000],
        )
        comment.reported_at = timezone.now()
        comment.moderation_reasons = [
            *comment.moderation_reasons,
            {"code": "notice_review", "outcome": "hold", "detail": ""},
        ]
        comment.save(update_fields=["reported_at", "moderation_reasons"])
        audit_log(actor=None, target=review, action="review.request", data={"notice": notice.pk})
    return review


def notice_review_url(notice: Notice) -> str:
    """The absolute link with which the notifier complains about a kept comment."""
    return mail.reader_url(
        "comments:notice_review",
        language=notice.language,
        token=tokens.notice_review_token(notice_id=notice.pk),
    )


def review_request(*, decision: ModerationDecision, explanation: str = "") -> ReviewRequest:
    """The author asks for a review of a rejection: the comment is reopened.

    It waits in the Reported queue (hidden, as it was) for a moderator other than
    the one who decided. A second request while one is open returns the open one;
    a request after a newer decision on the comment is refused (``ValidationError``).
    Audit entry.
    """
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=decision.comment_id or 0)
        open_review = ReviewRequest.objects.filter(comment=comment, decided_at__isnull=True).first()
        if open_review is not None:
            return open_review
        latest = comment.decisions.exclude(kind=ModerationDecision.Kind.HOLD).first()
        if latest is None or latest.pk != decision.pk:
            raise ValidationError(
                _("Über diesen Kommentar wurde inzwischen neu entschieden."), code="decided"
            )
        review = ReviewRequest.objects.create(
            decision=decision, comment=comment, explanation=(explanation or "").strip()[:5000]
        )
        before = comment.status
        comment.status = Comment.Status.PENDING
        comment.reported_at = timezone.now()
        comment.moderation_reasons = [
            *comment.moderation_reasons,
            {"code": "review", "outcome": "hold", "detail": ""},
        ]
        comment.save(update_fields=["status", "reported_at", "moderation_reasons"])
        audit_log(
            actor=None,
            target=review,
            action="review.request",
            from_state=before,
            to_state=comment.status,
        )
    return review


# --- Mails (after commit; a mail server failure is logged and audited) ---------


def _mail_safely(target: Any, kind: str, send: Any) -> None:
    try:
        send(target)
    except mail.MAIL_SERVER_ERRORS as exc:
        logger.warning("%s mail for %s %s failed: %s", kind, type(target).__name__, target.pk, exc)
        audit_log(
            actor=None,
            target=target,
            action=f"mail.{kind}_failed",
            note=_("Die E-Mail konnte nicht versendet werden."),
        )


def _mail_statement(decision: ModerationDecision) -> None:
    """The statement of reasons to the author. A mail server failure does not turn the
    stored decision into an error: it is logged and audited on the comment, whose
    history then shows that the author was not told."""
    try:
        _send_statement(decision)
    except mail.MAIL_SERVER_ERRORS as exc:
        logger.warning("statement of reasons for decision %s failed: %s", decision.pk, exc)
        ModerationDecision.objects.filter(pk=decision.pk).update(author_notified=False)
        comment = Comment.objects.get(pk=decision.comment_id or 0)
        audit_log(
            actor=None,
            target=comment,
            action="comment.reject_notice_failed",
            note=_(
                "Die Benachrichtigung an die Verfasserin oder den Verfasser konnte nicht versendet werden."
            ),
        )


def _comment_url(comment: Comment | None) -> str:
    if comment is None:
        return ""
    return mail.absolute_url(f"{comment.article.get_absolute_url()}#{comment.anchor}")


def _send_received(notice: Notice) -> None:
    with translation.override(notice.language):
        mail.send_mail_now(
            to=notice.email,
            subject=_("Ihr Hinweis ist eingegangen"),
            template="notice_received",
            context={"notice": notice, "comment_url": _comment_url(notice.comment)},
            unsubscribe=mail.unsubscribe_url(email=notice.email, language=notice.language),
            language=notice.language,
        )


def _send_notice_decided(notice: Notice) -> None:
    with translation.override(notice.language):
        mail.send_mail_now(
            to=notice.email,
            subject=_("Entscheidung zu Ihrem Hinweis"),
            template="notice_decided",
            context={
                "notice": notice,
                "decision": notice.decision,
                "removed": notice.outcome == Notice.Outcome.REMOVED,
                "comment_url": _comment_url(notice.comment),
                "review_url": (
                    notice_review_url(notice) if notice.outcome == Notice.Outcome.KEPT else ""
                ),
            },
            unsubscribe=mail.unsubscribe_url(email=notice.email, language=notice.language),
            language=notice.language,
        )


def _send_notice_review_decided(review: ReviewRequest) -> None:
    notice = review.notice
    assert notice is not None  # called for a notifier's review only
    with translation.override(notice.language):
        mail.send_mail_now(
            to=notice.email,
            subject=_("Ergebnis Ihres Widerspruchs"),
            template="notice_review_decided",
            context={
                "notice": notice,
                "removed": review.outcome == ReviewRequest.Outcome.REVERSED,
                "comment_url": _comment_url(notice.comment),
            },
            unsubscribe=mail.unsubscribe_url(email=notice.email, language=notice.language),
            language=notice.language,
        )


def _author_language(comment: Comment) -> str:
    language = getattr(comment.article, "language", "de") or "de"
    return language if language in ("de", "en") else "de"


def review_url(decision: ModerationDecision) -> str:
    """The absolute link with which the author asks for a review of ``decision``."""
    comment = decision.comment
    language = _author_language(comment) if comment is not None else "de"
    return mail.reader_url(
        "comments:review", language=language, token=tokens.review_token(decision_id=decision.pk)
    )


def _send_statement(decision: ModerationDecision) -> None:
    comment = Comment.objects.select_related("article").get(pk=decision.comment_id or 0)
    language = _author_language(comment)
    with translation.override(language):
        mail.send_mail_now(
            to=comment.email,
            subject=_("Ihr Kommentar zu „%(headline)s“ wurde nicht veröffentlicht")
            % {"headline": comment.article.headline},
            template="rejected",
            context={
                "comment": comment,
                "article": comment.article,
                "decision": decision,
                "ground": grounds.BY_CODE.get(decision.ground),
                "review_url": review_url(decision),
                "article_url": mail.absolute_url(comment.article.get_absolute_url()),
            },
            unsubscribe=mail.unsubscribe_url(email=comment.email, language=language),
            language=language,
        )


def _send_review_reversed(review: ReviewRequest) -> None:
    comment = Comment.objects.select_related("article").get(pk=review.comment_id or 0)
    language = _author_language(comment)
    with translation.override(language):
        mail.send_mail_now(
            to=comment.email,
            subject=_("Ihr Widerspruch hatte Erfolg"),
            template="review_reversed",
            context={"comment": comment, "comment_url": _comment_url(comment)},
            unsubscribe=mail.unsubscribe_url(email=comment.email, language=language),
            language=language,
        )
