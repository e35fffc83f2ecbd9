"""Posting a reader's comment: ``comment_submit`` and ``comment_post``.

The submission goes through named steps: the article must be open, the author is
resolved, the place in the thread is checked, a repeat is recognised before any
check counts it, the policy's ``PIPELINE`` decides the status, the comment is
stored, and a subscription asked for with it is set up. Side effects (cache-purge
signal, notification task, confirmation mail) run on commit.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments.grounds import AUTOMATED_GROUNDS
from comments.models import (
    Comment,
    FeedbackPoint,
    ModerationDecision,
    ModerationMode,
    ModerationSettings,
    Subscription,
    normalise_email,
    strip_bidi_controls,
    text_fingerprint,
)
from comments.policy import (
    PIPELINE,
    CommentsClosed,
    RateLimited,
    Submission,
    SubmissionFacts,
    effective_mode,
    status_for,
    submission_facts,
)
from comments.services._effects import after_public
from comments.services.notices import decision_record
from comments.services.subscriptions import (
    MAIL_DELAYED_MESSAGE,
    confirmation_pending,
    subscription_request,
)
from comments.templatetags.comments import reason_label

logger = logging.getLogger(__name__)

SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SubscriptionOutcome:
    """What became of the "Benachrichtigen bei" choice made with a comment."""

    NONE = "none"  # nothing asked for, or the comment is not going to be shown
    MAIL_SENT = "mail_sent"  # confirmation mail sent
    MAIL_DELAYED = "mail_delayed"  # stored; the mail server failed, resent automatically
    ACTIVE = "active"  # already subscribed and confirmed: no mail needed
    LIMITED = "limited"  # no mail: the confirmation-mail limit is reached
    FAILED = "failed"  # not stored (database trouble after the comment was stored)


@dataclass
class PostResult:
    """The answer of ``comment_submit``."""

    comment: Comment
    # True when this submission had been received before: the stored comment is
    # returned and nothing new was written or sent.
    repeated: bool = False
    subscription: str = SubscriptionOutcome.NONE
    subscription_message: str = ""


@dataclass
class _Author:
    """Who posts: the logged-in user (or None for a guest), name, address, staff or not."""

    user: Any
    name: str
    email: str
    is_staff: bool


@dataclass
class _Place:
    """Where the comment goes in the discussion."""

    parent: Comment | None
    root: Comment | None
    depth: int
    feedback_point: FeedbackPoint | None


def _open_mode(*, article: Article, conf: ModerationSettings, now: datetime) -> str:
    """The moderation mode that applies now; ``CommentsClosed`` when it is closed."""
    mode = effective_mode(article=article, conf=conf, now=now)
    if mode == ModerationMode.CLOSED:
        raise CommentsClosed(_("Die Kommentare zu diesem Artikel sind geschlossen."))
    return mode


def _resolve_author(*, user: Any, name: str, email: str) -> _Author:
    """Name and address from the form, else from the logged-in account.

    Raises ``ValidationError`` (codes ``name``, ``email``) when one is missing.
    """
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    if authenticated:
        name = name or user.get_full_name() or user.get_username()
        email = email or user.email
    author = _Author(
        user=user if authenticated else None,
        name=strip_bidi_controls(name).strip(),
        email=normalise_email(email),
        is_staff=bool(authenticated and user.is_staff),
    )
    if not author.name:
        raise ValidationError(_("Bitte geben Sie einen Namen an."), code="name")
    if not author.email:
        raise ValidationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), code="email")
    return author


def _resolve_place(
    *,
    article: Article,
    parent: Comment | None,
    feedback_point: FeedbackPoint | None,
    conf: ModerationSettings,
) -> _Place:
    """Depth, root and feedback point of a reply; a reply past ``max_depth`` joins its parent's level.

    Raises ``ValidationError`` (codes ``parent``, ``feedback_point``) for a parent that
    cannot be answered or a feedback point that is gone.
    """
    depth, root = 0, None
    if parent is not None:
        if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
            raise ValidationError(
                _("Auf diesen Kommentar kann nicht geantwortet werden."), code="parent"
            )
        if parent.depth + 1 >= conf.max_depth and parent.parent_id:
            # Deeper than allowed: answer in the same level as the parent.
            parent = parent.parent
            assert parent is not None  # parent_id is set (narrows the type)
        depth = parent.depth + 1
        root = parent.root or parent
        feedback_point = parent.feedback_point
    if feedback_point is not None and (
        feedback_point.article_id != article.pk or not feedback_point.is_active
    ):
        raise ValidationError(_("Diese Feedback-Stelle gibt es nicht mehr."), code="feedback_point")
    return _Place(parent=parent, root=root, depth=depth, feedback_point=feedback_point)


def _earlier_submission(facts: SubmissionFacts) -> tuple[Comment | None, bool]:
    """(the comment an earlier, identical submission created, whether the key is usable).

    First by key: the comment stored under it, if it belongs to the same article and
    address (a key is random per form; someone else's key is never honoured, and the
    new comment is then stored without it). Then by content, which also covers
    readers without JavaScript who reloaded the form (a new key) and sent the same
    text again: the same address, article, place in the thread and text within
    ``RESUBMIT_WINDOW``. Both come from ``submission_facts``; only a repeat costs a
    query (reading the stored comment).
    """
    key_usable = True
    if facts.key_comment_id is not None:
        if facts.key_is_own:
            return Comment.objects.get(pk=facts.key_comment_id), True
        key_usable = False
    if facts.earlier_id is not None:
        return Comment.objects.get(pk=facts.earlier_id), key_usable
    return None, key_usable


def _build_comment(
    *,
    article: Article,
    author: _Author,
    place: _Place,
    text: str,
    sub: Submission,
    ip: str | None,
    user_agent: str,
    submission_key: str,
) -> Comment:
    """The unsaved comment with the status the checks decided, validated (``full_clean``).

    A comment public at once that nobody would be notified of is stored as notified
    already: no notification task is queued for it, and the sweep leaves it alone.
    """
    status = status_for(sub.reasons)
    approved = status == Comment.Status.APPROVED
    comment = Comment(
        article=article,
        parent=place.parent,
        root=place.root,
        depth=place.depth,
        feedback_point=place.feedback_point,
        user=author.user,
        name=author.name[:80],
        email=author.email,
        text=text,
        text_hash=text_fingerprint(text),
        status=status,
        is_staff_comment=author.is_staff,
        moderation_reasons=sub.reasons,
        ip=ip,
        user_agent=(user_agent or "")[:300],
        created_at=sub.now,
        approved_at=sub.now if approved else None,
        notified_at=sub.now if approved and not sub.facts.has_recipients else None,
        submission_key=submission_key,
    )
    # The article's row was just read with the facts (and the insert's foreign key
    # holds it): validating the field would read it once more.
    exclude = ["text_hash", "email", "submission_key"]
    if sub.facts.article_exists:
        exclude.append("article")
    comment.full_clean(exclude=exclude)
    return comment


def _store(comment: Comment) -> PostResult:
    """Save the comment (public at once: purge and notifications on commit).

    The same key arriving twice at once (a double click) stores one comment: the
    loser of the race gets the winner's comment back as a repeat.
    """
    try:
        with transaction.atomic():
            comment.save()
            if comment.status == Comment.Status.APPROVED:
                after_public(comment, first_time=True)
            else:
                _record_automated_decision(comment)
    except IntegrityError:
        earlier = None
        if comment.submission_key:
            earlier = Comment.objects.filter(submission_key=comment.submission_key).first()
        if earlier is None:
            raise
        return PostResult(comment=earlier, repeated=True)
    return PostResult(comment=comment)


def _record_automated_decision(comment: Comment) -> None:
    """The checks' decision as a record (DSA Art. 24: automated holds and rejections).

    An automated rejection carries a statement of reasons like a moderator's, mailed
    to the author on commit (``notices.decision_record``).
    """
    facts = ", ".join(reason_label(r) for r in comment.moderation_reasons)
    if comment.status == Comment.Status.PENDING:
        kind, ground = ModerationDecision.Kind.HOLD, ""
    elif comment.status == Comment.Status.REJECTED:
        codes = [r["code"] for r in comment.moderation_reasons if r["outcome"] == "reject"]
        kind = ModerationDecision.Kind.REJECT
        ground = next(
            (AUTOMATED_GROUNDS[c] for c in codes if c in AUTOMATED_GROUNDS), "rules_other"
        )
    else:
        kind, ground = ModerationDecision.Kind.SPAM, "rules_spam"
    decision_record(comment=comment, kind=kind, automated=True, ground=ground, facts=facts)


def comment_post(**kwargs: Any) -> Comment:
    """``comment_submit`` for callers that only need the stored comment."""
    return comment_submit(**kwargs).comment


def comment_submit(
    *,
    article: Article,
    text: str,
    name: str = "",
    email: str = "",
    user: Any = None,
    parent: Comment | None = None,
    feedback_point: FeedbackPoint | None = None,
    ip: str | None = None,
    user_agent: str = "",
    honeypot: str = "",
    form_token: str = "",
    notify: str = "",
    submission_key: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> PostResult:
    """Store a reader's comment after the automatic checks (``policy.PIPELINE``).

    Raises ``CommentsClosed``, ``RateLimited`` (nothing stored) or ``ValidationError``
    (input to fix, nothing stored; its ``code`` names the input: ``name``, ``email``,
    ``parent``, ``feedback_point``, ``too_short``, ``too_long`` or a model field's).
    Otherwise the comment is stored as approved, pending, rejected or spam with the
    reasons recorded.

    Idempotent: a submission seen before (same ``submission_key``, or without a key
    the same address, place and text within ``RESUBMIT_WINDOW``) returns the stored
    comment with ``repeated=True`` and writes and sends nothing.

    Side effects on commit: cache-purge signal and notification task when it is
    public at once; a confirmation mail when ``notify`` asks for a subscription (in
    ``language``, the language of the page the comment was written on).
    Once the comment is committed nothing raises any more: database trouble after
    that point is logged and reported in the result (the poster is told the truth,
    the sweep makes good the notifications).
    """
    conf = ModerationSettings.get()
    now = timezone.now()
    mode = _open_mode(article=article, conf=conf, now=now)
    author = _resolve_author(user=user, name=name, email=email)
    text = (text or "").replace("\r\n", "\n").strip()
    submission_key = submission_key if SUBMISSION_KEY_RE.match(submission_key or "") else ""
    place = _resolve_place(article=article, parent=parent, feedback_point=feedback_point, conf=conf)

    # Before the checks: a repeat must neither count against the rate limits nor be
    # flagged as a duplicate of itself.
    facts = submission_facts(
        article_id=article.pk,
        email=author.email,
        text=text,
        ip=ip,
        parent_id=place.parent.pk if place.parent else None,
        parent_email=place.parent.email if place.parent else "",
        feedback_point_id=place.feedback_point.pk if place.feedback_point else None,
        submission_key=submission_key,
        now=now,
    )
    earlier, key_usable = _earlier_submission(facts)
    if earlier is not None:
        return PostResult(comment=earlier, repeated=True)

    sub = Submission(
        article=article,
        name=author.name,
        email=author.email,
        text=text,
        ip=ip,
        honeypot=honeypot,
        form_token=form_token,
        is_staff=author.is_staff,
        conf=conf,
        mode=mode,
        now=now,
        facts=facts,
    )
    for check in PIPELINE:
        check(sub)
    comment = _build_comment(
        article=article,
        author=author,
        place=place,
        text=text,
        sub=sub,
        ip=ip,
        user_agent=user_agent,
        submission_key=submission_key if key_usable else "",
    )
    result = _store(comment)
    if not result.repeated:
        _subscribe_if_asked(result, notify=notify, ip=ip, language=language)
    return result


def _subscribe_if_asked(result: PostResult, *, notify: str, ip: str | None, language: str) -> None:
    """Set up the subscription asked for with a comment that is going to be shown."""
    comment = result.comment
    if notify in Subscription.Kind.values and comment.status in (
        Comment.Status.APPROVED,
        Comment.Status.PENDING,
    ):
        result.subscription, result.subscription_message = _subscribe_with_comment(
            article=comment.article, email=comment.email, kind=notify, ip=ip, language=language
        )


def _subscribe_with_comment(
    *, article: Article, email: str, kind: str, ip: str | None, language: str
) -> tuple[str, str]:
    """The subscription asked for with a stored comment: (outcome, message for the reader).

    Never raises: the comment is stored whatever happens here.
    """
    try:
        subscription = subscription_request(
            article=article, email=email, kind=kind, ip=ip, language=language
        )
    except RateLimited as exc:
        return SubscriptionOutcome.LIMITED, _(
            "Die Benachrichtigung ist nicht eingerichtet. %(reason)s"
        ) % {"reason": exc.message}
    except (DatabaseError, ValidationError):
        logger.exception("subscription with a stored comment failed (article %s)", article.pk)
        return SubscriptionOutcome.FAILED, _(
            "Die Benachrichtigung konnte gerade nicht eingerichtet werden. Bitte abonnieren "
            "Sie die Kommentare später über „Abonnieren“."
        )
    if subscription.is_active:
        return SubscriptionOutcome.ACTIVE, _(
            "Sie haben die Kommentare zu diesem Artikel bereits abonniert."
        )
    try:
        pending = confirmation_pending(subscription)
    except DatabaseError:
        pending = subscription.confirmation_sent_at is None
    if pending:
        return SubscriptionOutcome.MAIL_DELAYED, str(MAIL_DELAYED_MESSAGE)
    return SubscriptionOutcome.MAIL_SENT, _(
        "Bitte bestätigen Sie die Benachrichtigung über den Link in der E-Mail, die wir "
        "Ihnen geschickt haben."
    )
