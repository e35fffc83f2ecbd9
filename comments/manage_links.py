"""The manage-my-data link by mail, sent by a task and retried while the mail
server is down.

``services.manage_link_request`` enqueues ``send_manage_link`` for every valid
request, known address or not, so the reader's answer (and its timing) never
tells whether an address has comments or subscriptions. The task mails the link
only to known addresses; when the mail server refuses, it enqueues itself again
with a growing delay (2, 4, 8 … minutes, ``MAX_ATTEMPTS`` in all), as long as
the task backend can defer (the database backend of production and ``make run``
can; the immediate backend of the tests cannot, then the failure is logged).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import mail, tokens
from comments.models import Comment, Subscription

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6  # the last try about two hours after the request


def _backoff(attempt: int) -> timedelta:
    return timedelta(minutes=2 ** (attempt + 1))


def address_is_known(email: str) -> bool:
    """Whether anything is stored for ``email`` (comments or subscriptions)."""
    return (
        Comment.objects.filter(email=email).exists()
        or Subscription.objects.filter(email=email).exists()
    )


@task()
def send_manage_link(
    *, email: str, language: str = settings.LANGUAGE_CODE, attempt: int = 0
) -> bool:
    """Mail the manage-my-data link to ``email`` if it is known; True when sent.

    The mail is written in ``language`` (the page the reader asked on), its links
    under that language's prefix.

    Side effects: one mail; on a mail server failure, this task enqueued again
    with a delay (or a logged warning when the backend cannot defer or the
    attempts are used up). The link is made when the mail goes out, so it is
    valid for 24 hours from then.
    """
    if not address_is_known(email):
        return False
    language = mail.reader_language(language)
    with translation.override(language):
        url = mail.reader_url(
            "comments:manage", language=language, token=tokens.manage_token(email=email)
        )
        try:
            mail.send_mail_now(
                to=email,
                subject=_("Ihre Kommentare und Abonnements"),
                template="manage",
                context={"manage_url": url, "email": email},
                unsubscribe=mail.unsubscribe_url(email=email, language=language),
                language=language,
            )
        except mail.MAIL_SERVER_ERRORS as exc:
            _retry_later(email=email, language=language, attempt=attempt, error=exc)
            return False
    return True


def _retry_later(*, email: str, language: str, attempt: int, error: Exception) -> None:
    if attempt + 1 >= MAX_ATTEMPTS:
        logger.warning("manage link not mailed after %s attempts: %s", attempt + 1, error)
        return
    if not send_manage_link.get_backend().supports_defer:
        logger.warning("manage link not mailed (no deferred retry in this backend): %s", error)
        return
    logger.warning("manage link not mailed, retrying later: %s", error)
    send_manage_link.using(run_after=timezone.now() + _backoff(attempt)).enqueue(
        email=email, language=language, attempt=attempt + 1
    )
