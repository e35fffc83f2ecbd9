"""The moderation policy of the comments app: which mode applies, and the checks.

Pure decisions, no writes: the moderation mode of an article (site mode, article
mode, automatic closing), who is trusted or banned, and the ordered pipeline of
small named checks (``PIPELINE``) that decides the status of a new comment.
Selectors and services import this module; it imports neither.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article
from comments import tokens
from comments.models import (
    ArticleDiscussion,
    BannedAddress,
    BannedIP,
    Comment,
    ModerationMode,
    ModerationSettings,
    Subscription,
    TrustedAddress,
    text_fingerprint,
)
from core import ratelimit
from core.compiled import prepared_cursor
from core.ratelimit import RateLimited  # the one "too many"; re-exported by comments.services

LINK_RE = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


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
    # The desk's setting for this one article (paused, closed, or post-moderated
    # even when the site moderates first).
    desk_mode = ArticleDiscussion.overrides().get(article.pk)
    if desk_mode in (ArticleDiscussion.Mode.PAUSED, ArticleDiscussion.Mode.CLOSED):
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
    if desk_mode == ArticleDiscussion.Mode.POST:
        return ModerationMode.POST
    if article.comment_mode == Article.CommentMode.PREMODERATED:
        return ModerationMode.PRE
    return conf.mode


def comments_open(*, article: Article, conf: ModerationSettings | None = None) -> bool:
    """True when the article takes comments now (``effective_mode`` is not closed)."""
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


def ip_is_banned(ip: str | None, *, networks: list[str] | None = None) -> bool:
    """True when ``ip`` lies in a banned address or network.

    ``networks``: the banned networks when already read (``submission_facts``);
    otherwise one query reads them.
    """
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    if networks is None:
        networks = list(BannedIP.objects.values_list("network", flat=True))
    for network in networks:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return True
        except ValueError:
            continue
    return False


def ip_hash(ip: str | None) -> str:
    """A keyed hash of an IP (or an address): counts and reports without storing it."""
    return salted_hmac("comments.ip", ip or "-", algorithm="sha256").hexdigest()


# --- What the checks need from the database, in one query ------------------------

# A repeated submission without idempotency key (readers without JavaScript on an
# old form page, scripts) is recognised by its content within this window.
RESUBMIT_WINDOW = timedelta(minutes=10)
# The same text counts as a duplicate (spam) within this window.
DUPLICATE_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class SubmissionFacts:
    """The stored facts one submission is checked against (``submission_facts``)."""

    article_exists: bool  # the article row is there (the insert's foreign key holds)
    key_comment_id: int | None  # the comment stored under the submission key
    key_is_own: bool  # ... and it belongs to the same article and address
    earlier_id: int | None  # the same address, place and text within RESUBMIT_WINDOW
    address_banned: bool
    banned_networks: list[str]  # read only for a submission with an IP
    duplicate: bool  # the rule of ``check_duplicate``
    has_recipients: bool  # someone would be notified of it (``notifications.recipients_for``)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def submission_facts(
    *,
    article_id: int,
    email: str,
    text: str,
    ip: str | None,
    parent_id: int | None,
    parent_email: str,
    feedback_point_id: int | None,
    submission_key: str,
    now: datetime,
) -> SubmissionFacts:
    """Everything the checks of one submission read from the database, in one query.

    The earlier identical submission (by key, then by content), the address and IP
    bans, the duplicate rule (``check_duplicate``), whether the article still exists
    and whether anyone is subscribed who would hear about the comment (the
    notification task is only queued then). One query, no writes; the text is
    compared by its fingerprint only.
    """
    comment, article = _table(Comment), _table(Article)
    sql = f"""
        SELECT
          EXISTS (SELECT 1 FROM {article} WHERE id = %(article)s),
          k.id, k.article_id = %(article)s AND k.email = %(email)s,
          (SELECT c.id FROM {comment} c
            WHERE c.article_id = %(article)s AND c.email = %(email)s
              AND c.parent_id IS NOT DISTINCT FROM %(parent)s
              AND c.feedback_point_id IS NOT DISTINCT FROM %(feedback_point)s
              AND c.text_hash = %(hash)s AND c.created_at >= %(resubmit_since)s
            ORDER BY c.created_at DESC LIMIT 1),
          %(email)s <> '' AND EXISTS (
            SELECT 1 FROM {_table(BannedAddress)} WHERE email = %(email)s),
          CASE WHEN %(has_ip)s THEN ARRAY(SELECT network FROM {_table(BannedIP)}) END,
          EXISTS (SELECT 1 FROM {comment} d
            WHERE d.text_hash = %(hash)s AND d.created_at >= %(duplicate_since)s
              AND ((%(email)s <> '' AND d.email = %(email)s)
                   OR (%(long)s AND d.article_id = %(article)s))),
          EXISTS (SELECT 1 FROM {_table(Subscription)} s
            WHERE s.article_id = %(article)s AND s.confirmed_at IS NOT NULL
              AND s.unsubscribed_at IS NULL AND s.email <> %(email)s
              AND (s.kind = %(all)s OR (s.kind = %(replies)s AND s.email = %(parent_email)s)))
        FROM (SELECT 1) AS one
        LEFT JOIN {comment} k ON k.submission_key = %(key)s AND k.submission_key <> ''
    """  # noqa: S608  (table names from the models' meta; every value is a parameter)
    params: dict[str, Any] = {
        "article": article_id,
        "email": email,
        "parent": parent_id,
        "parent_email": parent_email,
        "feedback_point": feedback_point_id,
        "hash": text_fingerprint(text),
        "resubmit_since": now - RESUBMIT_WINDOW,
        "duplicate_since": now - DUPLICATE_WINDOW,
        "has_ip": bool(ip),
        "long": len(text) >= 40,
        "key": submission_key,
        "all": Subscription.Kind.ALL,
        "replies": Subscription.Kind.REPLIES,
    }
    # The same text every time: prepared, PostgreSQL plans it once per connection (its
    # planning took longer than running it: 0.96 ms against 0.26). The key's join states
    # the unique partial index's condition (submission_key <> ''), so the one generic plan
    # uses that index; "%(key)s <> ''" let only a plan per value skip the join.
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    exists, key_id, key_own, earlier, banned, networks, duplicate, recipients = row
    return SubmissionFacts(
        article_exists=exists,
        key_comment_id=key_id,
        key_is_own=bool(key_own),
        earlier_id=earlier,
        address_banned=banned,
        banned_networks=list(networks or []),
        duplicate=duplicate,
        has_recipients=recipients,
    )


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
    facts: SubmissionFacts
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
        minutes = max(1, (wait + 59) // 60)
        raise RateLimited(
            message=ngettext(
                "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben. Bitte warten Sie "
                "%(minutes)s Minute und senden Sie dann erneut. Ihr Text bleibt erhalten.",
                "Sie haben in kurzer Zeit sehr viele Kommentare geschrieben. Bitte warten Sie "
                "%(minutes)s Minuten und senden Sie dann erneut. Ihr Text bleibt erhalten.",
                minutes,
            )
            % {"minutes": minutes},
            retry_after=wait,
        )


def check_banned(sub: Submission) -> None:
    if sub.email and sub.facts.address_banned:
        sub.flag("banned_address", "reject")
    if ip_is_banned(sub.ip, networks=sub.facts.banned_networks):
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
    # The same address repeating itself anywhere within DUPLICATE_WINDOW, or a longer
    # text copied into the same discussion (short replies such as "Danke!" are not
    # duplicates): read with the other facts (``submission_facts``).
    if sub.facts.duplicate:
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


def status_for(reasons: list[dict]) -> str:
    """The status the worst recorded outcome calls for (none: approved)."""
    worst = max((SEVERITY[r["outcome"]] for r in reasons), default=0)
    return {
        0: Comment.Status.APPROVED,
        1: Comment.Status.PENDING,
        2: Comment.Status.REJECTED,
        3: Comment.Status.SPAM,
    }[worst]
