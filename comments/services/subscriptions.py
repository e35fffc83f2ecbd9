"""Subscriptions to an article's comments: double opt-in, confirmation, unsubscribe.

Confirmation mails are rate-limited per address and per IP and sent on commit; a
mail server failure keeps the request and queues the mail for a resend. A
subscription keeps the language of the page it was asked for on: its
confirmation and notification mails are written in it (``comments.mail``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article
from comments import mail, tokens
from comments.models import ModerationSettings, Subscription, normalise_email
from comments.policy import RateLimited, ip_hash
from core import ratelimit

logger = logging.getLogger(__name__)

# The mail server failed: the request is stored and the mail is sent again automatically.
MAIL_DELAYED_MESSAGE = gettext_lazy(
    "Ihre Anfrage ist gespeichert. Die Bestätigungsmail konnte gerade nicht verschickt "
    "werden; wir senden sie in einigen Minuten automatisch. Bitte bestätigen Sie dann Ihr "
    "Abonnement über den Link darin."
)


def limit_confirmation_mails(*, email: str, ip: str | None, conf: ModerationSettings) -> None:
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
            message=ngettext(
                "Wir haben Ihnen keine E-Mail geschickt: An diese Adresse ist heute schon "
                "%(n)s Bestätigungsmail gegangen, mehr verschicken wir zum Schutz vor "
                "Missbrauch nicht. Bitte verwenden Sie den Link aus dieser Mail "
                "oder versuchen Sie es morgen erneut.",
                "Wir haben Ihnen keine E-Mail geschickt: An diese Adresse sind heute schon "
                "%(n)s Bestätigungsmails gegangen, mehr verschicken wir zum Schutz vor "
                "Missbrauch nicht. Bitte verwenden Sie den Link aus einer früheren Mail "
                "oder versuchen Sie es morgen erneut.",
                conf.confirmation_mails_per_address_per_day,
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
    *,
    article: Article,
    email: str,
    kind: str,
    ip: str | None,
    language: str = settings.LANGUAGE_CODE,
) -> Subscription:
    """Ask an address to confirm a subscription (double opt-in).

    Sends a confirmation mail with a signed, expiring, single-use link (on commit),
    rate-limited per address and per IP (``RateLimited``), in ``language`` (the
    language of the page the reader asked on), which the subscription keeps for its
    later mails. An active subscription gets no mail again and keeps its language.
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
        limit_confirmation_mails(email=email, ip=ip, conf=conf)
        # Keep the nonce of a request still waiting for confirmation: the link of an
        # earlier mail stays valid until it is used or expires (tokens.CONFIRM_MAX_AGE),
        # also when a second comment asks again and sends another mail.
        if not subscription.confirmation_nonce:
            subscription.confirmation_nonce = secrets.token_hex(16)
        subscription.confirmation_sent_at = timezone.now()
        subscription.confirmed_at = None
        subscription.unsubscribed_at = None
        subscription.language = mail.reader_language(language)
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
    """The confirmation mail in the subscription's language, its links under its prefix."""
    language = mail.reader_language(subscription.language)
    with translation.override(language):
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
                "confirm_url": mail.reader_url("comments:confirm", language=language, token=token),
            },
            unsubscribe=mail.unsubscribe_url(subscription_id=subscription.pk, language=language),
            language=language,
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
