"""Signed tokens for links in mails and for the form's fill-in timestamp.

Every token is signed with the secret key and a purpose-specific salt, so a
token of one kind is useless for another.
"""

from __future__ import annotations

import time

from django.core import signing

CONFIRM_SALT = "comments.subscription.confirm"
UNSUBSCRIBE_SALT = "comments.unsubscribe"
MANAGE_SALT = "comments.manage-my-data"
FORM_SALT = "comments.form-timestamp"
REVIEW_SALT = "comments.review-request"
NOTICE_REVIEW_SALT = "comments.notice-review-request"

CONFIRM_MAX_AGE = 3 * 24 * 3600  # a confirmation link works three days
MANAGE_MAX_AGE = 24 * 3600  # a manage-my-data link works one day
# DSA Art. 20(1): a review can be asked for at least six months after the decision.
REVIEW_MAX_AGE = 183 * 24 * 3600


def confirmation_token(*, subscription_id: int, nonce: str) -> str:
    return signing.dumps({"s": subscription_id, "n": nonce}, salt=CONFIRM_SALT, compress=True)


def read_confirmation_token(token: str) -> tuple[int, str]:
    """(subscription id, nonce); raises ``signing.BadSignature`` (or ``SignatureExpired``)."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    return int(data["s"]), str(data["n"])


def unsubscribe_token(*, subscription_id: int | None = None, email: str | None = None) -> str:
    """Unsubscribes one subscription, or every subscription of an address. Never expires."""
    payload = {"s": subscription_id} if subscription_id else {"e": email}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict:
    payload: dict = signing.loads(token, salt=UNSUBSCRIBE_SALT)  # what unsubscribe_token() dumped
    return payload


def manage_token(*, email: str) -> str:
    return signing.dumps({"e": email}, salt=MANAGE_SALT, compress=True)


def read_manage_token(token: str) -> str:
    return str(signing.loads(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE)["e"])


def form_timestamp(now: float | None = None) -> str:
    """When the form was handed out; checked for the minimum time to fill it."""
    return signing.dumps(int(now if now is not None else time.time()), salt=FORM_SALT)


def seconds_since_form(token: str, now: float | None = None) -> float | None:
    """Seconds since the form was handed out, or None for a missing or forged token."""
    try:
        issued = signing.loads(token or "", salt=FORM_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return None
    return (now if now is not None else time.time()) - int(issued)


def review_token(*, decision_id: int) -> str:
    """The author's link to ask for a review of one decision (works six months)."""
    return signing.dumps({"d": decision_id}, salt=REVIEW_SALT, compress=True)


def read_review_token(token: str) -> int:
    """The decision id; raises ``signing.BadSignature`` (or ``SignatureExpired``)."""
    return int(signing.loads(token, salt=REVIEW_SALT, max_age=REVIEW_MAX_AGE)["d"])


def notice_review_token(*, notice_id: int) -> str:
    """The notifier's link to complain about a notice that led to no removal (six months)."""
    return signing.dumps({"n": notice_id}, salt=NOTICE_REVIEW_SALT, compress=True)


def read_notice_review_token(token: str) -> int:
    """The notice id; raises ``signing.BadSignature`` (or ``SignatureExpired``)."""
    return int(signing.loads(token, salt=NOTICE_REVIEW_SALT, max_age=REVIEW_MAX_AGE)["n"])
