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
from django.db.models import Q
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
    TrustedAddress,
    text_fingerprint,
)
from core import ratelimit
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


def ip_is_banned(ip: str | None) -> bool:
    """True when ``ip`` lies in a banned address or network."""
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
    """A keyed hash of an IP (or an address): counts and reports without storing it."""
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


def status_for(reasons: list[dict]) -> str:
    """The status the worst recorded outcome calls for (none: approved)."""
    worst = max((SEVERITY[r["outcome"]] for r in reasons), default=0)
    return {
        0: Comment.Status.APPROVED,
        1: Comment.Status.PENDING,
        2: Comment.Status.REJECTED,
        3: Comment.Status.SPAM,
    }[worst]
