"""State changes of the comments app.

Every function takes keyword-only arguments, runs in one transaction, writes
an audit entry for moderation actions and does its side effects (mails,
notification tasks, the ``comment_section_changed`` signal for cache purges)
in ``transaction.on_commit``. Views, admin actions and commands call these;
they never change comments themselves.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article
from comments import mail, tokens
from comments.manage_links import send_manage_link
from comments.models import (
    BannedAddress,
    BannedIP,
    Comment,
    CommentReport,
    FeedbackPoint,
    ModerationMode,
    ModerationSettings,
    Subscription,
    TrustedAddress,
    normalise_email,
    strip_bidi_controls,
    text_fingerprint,
)
from comments.signals import comment_published, comment_section_changed
from core import ratelimit
from core.actors import acting_user
from core.audit import audit_log
from core.ratelimit import RateLimited  # the one "too many"; views catch it as services.RateLimited

logger = logging.getLogger(__name__)

LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


# The mail server failed: the request is stored and the mail is sent again automatically.
MAIL_DELAYED_MESSAGE = gettext_lazy(
    "Ihre Anfrage ist gespeichert. Die Bestätigungsmail konnte gerade nicht verschickt "
    "werden; wir senden sie in einigen Minuten automatisch. Bitte bestätigen Sie dann Ihr "
    "Abonnement über den Link darin."
)


class CommentsClosed(Exception):
    """The article takes no comments (closed, or closed automatically after N days)."""


# --- Moderation mode -----------------------------------------------------------


def effective_mode(
    *, article: Article, conf: ModerationSettings, now: datetime | None = None
) -> str:
    """The mode that applies to ``article`` now: site mode, article mode and auto close."""
    now = now or timezone.now()
    if article.comment_mode == Article.CommentMode.CLOSED or conf.mode == ModerationMode.CLOSED:
        return ModerationMode.CLOSED
    days = None
    if article.comment_mode == Article.CommentMode.AUTO_CLOSE:
        days = article.comments_close_after_days
        if days is None:
            days = conf.auto_close_after_days
    elif conf.auto_close_after_days is not None:
        days = article.comments_close_after_days or conf.auto_close_after_days
    published = article.first_published_at or article.go_live_at
    if days is not None and published and published + timedelta(days=days) <= now:
        return ModerationMode.CLOSED
    if article.comment_mode == Article.CommentMode.PREMODERATED:
        return ModerationMode.PRE
    return conf.mode


def comments_open(*, article: Article, conf: ModerationSettings | None = None) -> bool:
    return (
        effective_mode(article=article, conf=conf or ModerationSettings.get())
        != ModerationMode.CLOSED
    )


def address_is_trusted(*, email: str, conf: ModerationSettings) -> bool:
    """Explicitly trusted, or enough approved comments from this address."""
    if not email:
        return False
    if TrustedAddress.objects.filter(email=email).exists():
        return True
    approved = Comment.objects.filter(email=email, status=Comment.Status.APPROVED).count()
    return approved >= conf.trust_after_approvals


def ip_is_banned(ip: str | None) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    for network in BannedIP.objects.values_list("network", flat=True):
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def ip_hash(ip: str | None) -> str:
    return salted_hmac("comments.ip", ip or "-", algorithm="sha256").hexdigest()


# --- The automatic checks ------------------------------------------------------

SEVERITY = {"hold": 1, "reject": 2, "spam": 3}


@dataclass
class Submission:
    article: Article
    name: str
    email: str
    text: str
    ip: str | None
    honeypot: str
    form_token: str
    is_staff: bool
    conf: ModerationSettings
    mode: str
    now: Any
    reasons: list[dict] = field(default_factory=list)

    def flag(self, code: str, outcome: str, detail: str = "") -> None:
        self.reasons.append({"code": code, "outcome": outcome, "detail": detail})


def check_length(sub: Submission) -> None:
    length = len(sub.text.strip())
    if length < sub.conf.min_length:
        raise ValidationError(
            ngettext(
                "Der Kommentar ist zu kurz (mindestens %(n)s Zeichen).",
                "Der Kommentar ist zu kurz (mindestens %(n)s Zeichen).",
                sub.conf.min_length,
            )
            % {"n": sub.conf.min_length},
            code="too_short",
        )
    if length > sub.conf.max_length:
        raise ValidationError(
            _("Der Kommentar ist zu lang (höchstens %(n)s Zeichen, Ihrer hat %(len)s).")
            % {"n": sub.conf.max_length, "len": length},
            code="too_long",
        )


def check_honeypot(sub: Submission) -> None:
    if sub.honeypot and not sub.is_staff:
        sub.flag("honeypot", "spam")


def check_fill_time(sub: Submission) -> None:
    if sub.is_staff:
        return
    seconds = tokens.seconds_since_form(sub.form_token)
    if seconds is None:
        sub.flag("form_token", "spam")
    elif seconds < sub.conf.min_seconds_to_fill:
        sub.flag("too_fast", "spam", f"{seconds:.1f}s")


def check_rate_limits(sub: Submission) -> None:
    if sub.is_staff:
        return
    window = sub.conf.rate_limit_window_seconds
    waits = []
    if sub.ip:
        waits.append(
            ratelimit.seconds_to_wait(
                "comments-c-ip", sub.ip, limit=sub.conf.rate_limit_per_ip, window=window
            )
        )
    if sub.email:
        waits.append(
            ratelimit.seconds_to_wait(
                "comments-c-addr",
                ip_hash(sub.email),
                limit=sub.conf.rate_limit_per_address,
                window=window,
            )
        )
    limited = [w for w in waits if w]
    if limited:
        wait = max(limited)
        raise RateLimited(
            message=_(
                "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben. Bitte warten Sie "
                "%(minutes)s Minute(n) und senden Sie dann erneut. Ihr Text bleibt erhalten."
            )
            % {"minutes": max(1, (wait + 59) // 60)},
            retry_after=wait,
        )


def check_banned(sub: Submission) -> None:
    if sub.email and BannedAddress.objects.filter(email=sub.email).exists():
        sub.flag("banned_address", "reject")
    if ip_is_banned(sub.ip):
        sub.flag("banned_ip", "reject")


def check_links(sub: Submission) -> None:
    links = len(LINK_RE.findall(sub.text))
    if links > sub.conf.max_links and not sub.is_staff:
        sub.flag("too_many_links", "hold", str(links))


def _find_words(text: str, words: list[str]) -> list[str]:
    folded = text.casefold()
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)]


def check_words(sub: Submission) -> None:
    for word in _find_words(f"{sub.name} {sub.text}", sub.conf.banned_word_list):
        sub.flag("banned_word", "reject", word)
    for word in _find_words(f"{sub.name} {sub.text}", sub.conf.suspect_word_list):
        sub.flag("suspect_word", "hold", word)


def check_duplicate(sub: Submission) -> None:
    fingerprint = text_fingerprint(sub.text)
    since = sub.now - timedelta(days=1)
    # The same address repeating itself anywhere, or a longer text copied into
    # the same discussion (short replies such as "Danke!" are not duplicates).
    same_place = Q(email=sub.email) if sub.email else Q(pk__in=[])
    if len(sub.text) >= 40:
        same_place |= Q(article=sub.article)
    same_text = Comment.objects.filter(same_place, text_hash=fingerprint, created_at__gte=since)
    if same_text.exists():
        sub.flag("duplicate", "spam")


def check_moderation_mode(sub: Submission) -> None:
    if sub.is_staff:
        return
    if sub.mode == ModerationMode.PRE:
        sub.flag("premoderation", "hold")
    elif sub.mode == ModerationMode.FIRST_COMMENT and not address_is_trusted(
        email=sub.email, conf=sub.conf
    ):
        sub.flag("first_comment", "hold")


# The pipeline, in order. Each check records its reason on the submission or raises
# (ValidationError: the reader fixes the input; RateLimited: nothing is stored).
PIPELINE = [
    check_length,
    check_honeypot,
    check_fill_time,
    check_rate_limits,
    check_banned,
    check_links,
    check_words,
    check_duplicate,
    check_moderation_mode,
]


def _status_for(reasons: list[dict]) -> str:
    worst = max((SEVERITY[r["outcome"]] for r in reasons), default=0)
    return {
        0: Comment.Status.APPROVED,
        1: Comment.Status.PENDING,
        2: Comment.Status.REJECTED,
        3: Comment.Status.SPAM,
    }[worst]


# --- Writing comments ------------------------------------------------------------


def _after_public(comment: Comment, *, first_time: bool) -> None:
    """On commit: tell cache purgers, and on first publication notify subscribers.

    The comment is stored when these run, so a failure here (the database gone right
    after the commit, a cache server down) must not turn the stored comment into an
    error page: each step is ``robust`` (logged, the next one still runs). A lost
    notification task is made good by ``sweep_missed_notifications``, which finds
    approved comments without ``notified_at``.
    """

    def purge() -> None:
        comment_section_changed.send(sender=Comment, article_id=comment.article_id)

    def announce() -> None:
        comment_published.send(sender=Comment, comment=comment)

    def enqueue() -> None:
        from comments.notifications import notify_subscribers

        notify_subscribers.enqueue(comment_id=comment.pk)

    transaction.on_commit(purge, robust=True)
    if first_time:
        transaction.on_commit(announce, robust=True)
        transaction.on_commit(enqueue, robust=True)


# A repeated submission without idempotency key (readers without JavaScript on an
# old form page, scripts) is recognised by its content within this window.
RESUBMIT_WINDOW = timedelta(minutes=10)
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


def _earlier_submission(
    *,
    article: Article,
    email: str,
    text: str,
    parent: Comment | None,
    feedback_point: FeedbackPoint | None,
    submission_key: str,
    now: datetime,
) -> tuple[Comment | None, bool]:
    """(the comment an earlier, identical submission created, whether the key is usable).

    First by key: the comment stored under it, if it belongs to the same article and
    address (a key is random per form; someone else's key is never honoured, and the
    new comment is then stored without it). Then by content, which also covers
    readers without JavaScript who reloaded the form (a new key) and sent the same
    text again: the same address, article, place in the thread and text within
    ``RESUBMIT_WINDOW``.
    """
    key_usable = bool(submission_key)
    if submission_key:
        earlier = Comment.objects.filter(submission_key=submission_key).first()
        if earlier is not None:
            if earlier.article_id == article.pk and earlier.email == email:
                return earlier, True
            key_usable = False
    earlier = (
        Comment.objects.filter(
            article=article,
            email=email,
            parent=parent,
            feedback_point=feedback_point,
            text_hash=text_fingerprint(text),
            created_at__gte=now - RESUBMIT_WINDOW,
        )
        .order_by("-created_at")
        .first()
    )
    return earlier, key_usable


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
) -> PostResult:
    """Store a reader's comment after the automatic checks (``PIPELINE``).

    Raises ``CommentsClosed``, ``RateLimited`` (nothing stored) or ``ValidationError``
    (input to fix, nothing stored). Otherwise the comment is stored as approved,
    pending, rejected or spam with the reasons recorded.

    Idempotent: a submission seen before (same ``submission_key``, or without a key
    the same address, place and text within ``RESUBMIT_WINDOW``) returns the stored
    comment with ``repeated=True`` and writes and sends nothing.

    Side effects on commit: cache-purge signal and notification task when it is
    public at once; a confirmation mail when ``notify`` asks for a subscription.
    Once the comment is committed nothing raises any more: database trouble after
    that point is logged and reported in the result (the poster is told the truth,
    the sweep makes good the notifications).
    """
    conf = ModerationSettings.get()
    now = timezone.now()
    mode = effective_mode(article=article, conf=conf, now=now)
    if mode == ModerationMode.CLOSED:
        raise CommentsClosed(_("Die Kommentare zu diesem Artikel sind geschlossen."))
    is_staff = bool(user and getattr(user, "is_authenticated", False) and user.is_staff)
    if user is not None and getattr(user, "is_authenticated", False):
        name = name or user.get_full_name() or user.get_username()
        email = email or user.email
    else:
        user = None
    name = strip_bidi_controls(name).strip()
    email = normalise_email(email)
    text = (text or "").replace("\r\n", "\n").strip()
    submission_key = submission_key if SUBMISSION_KEY_RE.match(submission_key or "") else ""
    if not name:
        raise ValidationError(_("Bitte geben Sie einen Namen an."), code="name")
    if not email:
        raise ValidationError(_("Bitte geben Sie Ihre E-Mail-Adresse an."), code="email")

    depth, root = 0, None
    if parent is not None:
        if parent.article_id != article.pk or parent.status != Comment.Status.APPROVED:
            raise ValidationError(_("Auf diesen Kommentar kann nicht geantwortet werden."))
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
        raise ValidationError(_("Diese Feedback-Stelle gibt es nicht mehr."))

    # Before the checks: a repeat must neither count against the rate limits nor be
    # flagged as a duplicate of itself.
    earlier, key_usable = _earlier_submission(
        article=article,
        email=email,
        text=text,
        parent=parent,
        feedback_point=feedback_point,
        submission_key=submission_key,
        now=now,
    )
    if earlier is not None:
        return PostResult(comment=earlier, repeated=True)
    if not key_usable:
        submission_key = ""

    sub = Submission(
        article=article,
        name=name,
        email=email,
        text=text,
        ip=ip,
        honeypot=honeypot,
        form_token=form_token,
        is_staff=is_staff,
        conf=conf,
        mode=mode,
        now=now,
    )
    for check in PIPELINE:
        check(sub)
    status = _status_for(sub.reasons)

    comment = Comment(
        article=article,
        parent=parent,
        root=root,
        depth=depth,
        feedback_point=feedback_point,
        user=user,
        name=name[:80],
        email=email,
        text=text,
        text_hash=text_fingerprint(text),
        status=status,
        is_staff_comment=is_staff,
        moderation_reasons=sub.reasons,
        ip=ip,
        user_agent=(user_agent or "")[:300],
        created_at=now,
        approved_at=now if status == Comment.Status.APPROVED else None,
        submission_key=submission_key,
    )
    comment.full_clean(exclude=["text_hash", "email", "submission_key"])
    try:
        with transaction.atomic():
            comment.save()
            if status == Comment.Status.APPROVED:
                _after_public(comment, first_time=True)
    except IntegrityError:
        # The same key arrived twice at once (double click): the other request won.
        earlier = Comment.objects.filter(submission_key=submission_key).first()
        if not submission_key or earlier is None:
            raise
        return PostResult(comment=earlier, repeated=True)
    result = PostResult(comment=comment)
    if notify in Subscription.Kind.values and status in (
        Comment.Status.APPROVED,
        Comment.Status.PENDING,
    ):
        result.subscription, result.subscription_message = _subscribe_with_comment(
            article=article, email=email, kind=notify, ip=ip
        )
    return result


def _subscribe_with_comment(
    *, article: Article, email: str, kind: str, ip: str | None
) -> tuple[str, str]:
    """The subscription asked for with a stored comment: (outcome, message for the reader).

    Never raises: the comment is stored whatever happens here.
    """
    try:
        subscription = subscription_request(article=article, email=email, kind=kind, ip=ip)
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


# --- Moderation --------------------------------------------------------------------


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
            _after_public(comment, first_time=first_time)
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
            _section_changed(comment.article_id)
        if notify_author and comment.email:
            transaction.on_commit(lambda: _mail_rejection(comment))
    return comment


def _section_changed(article_id: int) -> None:
    transaction.on_commit(
        lambda: comment_section_changed.send(sender=Comment, article_id=article_id)
    )


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
            _section_changed(comment.article_id)
    return comment


def comment_pin(*, comment: Comment, actor: Any, pinned: bool = True) -> Comment:
    """Pin (feature) or unpin a comment. Audit entry; cache signal."""
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.is_pinned = pinned
        comment.save(update_fields=["is_pinned"])
        audit_log(actor=actor, target=comment, action="comment.pin" if pinned else "comment.unpin")
        if comment.status == Comment.Status.APPROVED:
            _section_changed(comment.article_id)
    return comment


def ban_address(
    *, email: str, actor: Any, reason: str = "", ip: str | None = None
) -> BannedAddress:
    """Ban an address (and optionally an IP); its waiting comments go to spam."""
    email = normalise_email(email)
    if not email:
        raise ValidationError(_("Diese Adresse kann nicht gesperrt werden."))
    with transaction.atomic():
        banned, _created = BannedAddress.objects.get_or_create(
            email=email,
            defaults={
                "reason": reason,
                "created_by": acting_user(actor),
            },
        )
        if ip:
            BannedIP.objects.get_or_create(
                network=ip,
                defaults={
                    "reason": reason,
                    "created_by": acting_user(actor),
                },
            )
        held = Comment.objects.filter(email=email, status=Comment.Status.PENDING).update(
            status=Comment.Status.SPAM
        )
        audit_log(
            actor=actor,
            target=banned,
            action="comment.ban_address",
            note=reason,
            data={"ip_banned": bool(ip), "pending_to_spam": held},
        )
    return banned


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
            _section_changed(comment.article_id)
        comment.save(update_fields=fields)
    return True


# --- Subscriptions -----------------------------------------------------------------


def _limit_confirmation_mails(*, email: str, ip: str | None, conf: ModerationSettings) -> None:
    """Count one confirmation-type mail; ``RateLimited`` (nothing is sent) past a limit.

    The message says which limit stopped it and that no mail went out, so a reader
    is never told to look for a mail that does not exist.
    """
    address_wait = ratelimit.seconds_to_wait(
        "comments-mail-addr",
        ip_hash(email),
        limit=conf.confirmation_mails_per_address_per_day,
        window=24 * 3600,
    )
    ip_wait: int | None = None
    if ip:
        ip_wait = ratelimit.seconds_to_wait(
            "comments-mail-ip", ip, limit=conf.confirmation_mails_per_ip_per_hour, window=3600
        )
    if address_wait:
        raise RateLimited(
            message=_(
                "Wir haben Ihnen keine E-Mail geschickt: An diese Adresse sind heute schon "
                "%(n)s Bestätigungsmails gegangen, mehr verschicken wir zum Schutz vor "
                "Missbrauch nicht. Bitte verwenden Sie den Link aus einer früheren Mail "
                "oder versuchen Sie es morgen erneut."
            )
            % {"n": conf.confirmation_mails_per_address_per_day},
            retry_after=address_wait,
        )
    if ip_wait:
        raise RateLimited(
            message=_(
                "Wir haben Ihnen keine E-Mail geschickt: Von Ihrem Internetanschluss wurden "
                "in der letzten Stunde zu viele Bestätigungsmails angefordert. Bitte "
                "versuchen Sie es in einer Stunde erneut."
            ),
            retry_after=ip_wait,
        )


def subscription_request(
    *, article: Article, email: str, kind: str, ip: str | None
) -> Subscription:
    """Ask an address to confirm a subscription (double opt-in).

    Sends a confirmation mail with a signed, expiring, single-use link (on commit),
    rate-limited per address and per IP (``RateLimited``). An active subscription
    gets no mail again.
    """
    email = normalise_email(email)
    if kind not in Subscription.Kind.values:
        raise ValidationError(_("Bitte wählen Sie, worüber Sie benachrichtigt werden möchten."))
    from django.core.validators import validate_email

    validate_email(email)
    conf = ModerationSettings.get()
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            article=article, email=email, kind=kind
        )
        if subscription.is_active:
            return subscription
        _limit_confirmation_mails(email=email, ip=ip, conf=conf)
        # Keep the nonce of a request still waiting for confirmation: the link of an
        # earlier mail stays valid until it is used or expires (tokens.CONFIRM_MAX_AGE),
        # also when a second comment asks again and sends another mail.
        if not subscription.confirmation_nonce:
            subscription.confirmation_nonce = secrets.token_hex(16)
        subscription.confirmation_sent_at = timezone.now()
        subscription.confirmed_at = None
        subscription.unsubscribed_at = None
        subscription.save()
        token = tokens.confirmation_token(
            subscription_id=subscription.pk, nonce=subscription.confirmation_nonce
        )
        transaction.on_commit(lambda: _mail_confirmation(subscription, token))
    return subscription


def _mail_confirmation(subscription: Subscription, token: str) -> bool:
    """Send the confirmation mail; on a mail server failure keep the request for a resend.

    Runs on commit, after the subscription is stored. A failure must not reach the
    reader as a 500 (the request is safe): it is logged and ``confirmation_sent_at``
    is cleared, which queues the mail for ``resend_pending_confirmations`` (run by
    ``retry_comment_notifications``). Returns True when the mail went out.
    """
    try:
        _send_confirmation(subscription, token)
    except Exception as exc:  # noqa: BLE001 - any mail server failure is retried later
        logger.warning("confirmation mail for subscription %s failed: %s", subscription.pk, exc)
        Subscription.objects.filter(
            pk=subscription.pk, confirmation_nonce=subscription.confirmation_nonce
        ).update(confirmation_sent_at=None)
        subscription.confirmation_sent_at = None
        return False
    return True


def confirmation_pending(subscription: Subscription) -> bool:
    """True when the confirmation mail of a stored request could not be sent yet."""
    return (
        bool(subscription.confirmation_nonce)
        and subscription.confirmed_at is None
        and not Subscription.objects.filter(
            pk=subscription.pk, confirmation_sent_at__isnull=False
        ).exists()
    )


def resend_pending_confirmations(*, max_age: timedelta = timedelta(days=1)) -> int:
    """Send the confirmation mails that failed (mail server down); returns how many went out.

    Each request is claimed (``confirmation_sent_at`` set in one UPDATE) before its
    mail goes out, so two runners never send it twice; a failure clears the claim
    again. Requests older than ``max_age`` are left alone (the reader has moved on;
    subscribing again sends a fresh mail).
    """
    pending = Subscription.objects.filter(
        confirmation_sent_at__isnull=True,
        confirmed_at__isnull=True,
        unsubscribed_at__isnull=True,
        created_at__gte=timezone.now() - max_age,
    ).exclude(confirmation_nonce="")
    sent = 0
    for subscription in pending.select_related("article__section"):
        claimed = Subscription.objects.filter(
            pk=subscription.pk,
            confirmation_sent_at__isnull=True,
            confirmation_nonce=subscription.confirmation_nonce,
        ).update(confirmation_sent_at=timezone.now())
        if not claimed:
            continue
        token = tokens.confirmation_token(
            subscription_id=subscription.pk, nonce=subscription.confirmation_nonce
        )
        sent += _mail_confirmation(subscription, token)
    return sent


def _send_confirmation(subscription: Subscription, token: str) -> None:
    with translation.override("de"):
        article = subscription.article
        mail.send_mail_now(
            to=subscription.email,
            subject=_("Bitte bestätigen Sie Ihr Abonnement: „%(headline)s“")
            % {"headline": article.headline},
            template="confirm",
            context={
                "article": article,
                "subscription": subscription,
                "article_url": mail.absolute_url(article.get_absolute_url()),
                "confirm_url": mail.absolute_url(
                    reverse("comments:confirm", kwargs={"token": token})
                ),
            },
            unsubscribe=mail.unsubscribe_url(subscription_id=subscription.pk),
        )


class InvalidToken(Exception):
    """A link that is forged, expired or already used."""


def subscription_confirm(*, token: str) -> Subscription:
    """Confirm a subscription with the link from the mail. The link works once."""
    try:
        subscription_id, nonce = tokens.read_confirmation_token(token)
    except signing.SignatureExpired as exc:
        raise InvalidToken(
            _("Dieser Bestätigungslink ist abgelaufen. Bitte abonnieren Sie erneut.")
        ) from exc
    except (signing.BadSignature, KeyError, ValueError) as exc:
        raise InvalidToken(_("Dieser Link ist ungültig.")) from exc
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(pk=subscription_id).first()
        if (
            subscription is None
            or not subscription.confirmation_nonce
            or not secrets.compare_digest(subscription.confirmation_nonce, nonce)
        ):
            raise InvalidToken(
                _("Dieser Bestätigungslink wurde bereits verwendet oder ist ungültig.")
            )
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.confirmation_nonce = ""
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "confirmation_nonce"])
    return subscription


def unsubscribe(*, token: str) -> list[Subscription]:
    """One-click unsubscribe: one subscription, or all of an address. Idempotent."""
    try:
        data = tokens.read_unsubscribe_token(token)
    except signing.BadSignature as exc:
        raise InvalidToken(_("Dieser Link ist ungültig.")) from exc
    with transaction.atomic():
        if data.get("s"):
            subscriptions = Subscription.objects.filter(pk=data["s"])
        else:
            subscriptions = Subscription.objects.filter(email=normalise_email(data.get("e", "")))
        found = list(subscriptions.select_related("article"))
        now = timezone.now()
        for subscription in found:
            if subscription.unsubscribed_at is None:
                subscription.unsubscribed_at = now
                subscription.confirmation_nonce = ""
                subscription.save(update_fields=["unsubscribed_at", "confirmation_nonce"])
    return found


# --- Manage my data (DSGVO) --------------------------------------------------------


def manage_link_request(*, email: str, ip: str | None) -> None:
    """Ask for a link to the manage-my-data page (rate-limited like confirmation mails).

    Raises ``RateLimited``, never anything about the mail server: the same work
    is done for every address (no enumeration, not even by timing). Side effect:
    ``manage_links.send_manage_link`` is enqueued on commit; it mails the link
    only when the address has comments or subscriptions, and retries while the
    mail server is down.
    """
    from django.core.validators import validate_email

    email = normalise_email(email)
    validate_email(email)
    _limit_confirmation_mails(email=email, ip=ip, conf=ModerationSettings.get())
    transaction.on_commit(lambda: send_manage_link.enqueue(email=email))


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
            _section_changed(article_id)
    return deleted + len(kept)


# --- Maintenance ---------------------------------------------------------------


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
