"""Building and sending the comments app's mails to readers.

A mail to a reader speaks the language of the page the reader acted on (stored
with the subscription, notice or error report, or passed on from the request):
its text is rendered in that language and its own links (confirm, unsubscribe,
manage, review) carry that language's prefix (none for German, ``/en/`` for
English); an article or comment link is the article's one URL. Every mail is
plain text plus HTML and carries a one-click unsubscribe link in the body and in
the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 8058), written
as plain ASCII by ``core.mail.Mail``. The unsubscribe token does not depend on
the language: the link works under either prefix.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from comments import tokens
from core.mail import Mail


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reader_language(language: str | None) -> str:
    """``language`` if the site has it (``settings.LANGUAGES``), else the site language."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def reader_url(viewname: str, *, language: str, **kwargs: object) -> str:
    """The absolute URL of a reader view under ``language``'s prefix."""
    with translation.override(reader_language(language)):
        return absolute_url(reverse(viewname, kwargs=kwargs))


def unsubscribe_url(
    *,
    subscription_id: int | None = None,
    email: str | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> str:
    """The one-click unsubscribe link (one subscription, or all of an address)."""
    token = tokens.unsubscribe_token(subscription_id=subscription_id, email=email)
    return reader_url("comments:unsubscribe", language=language, token=token)


def build_mail(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    unsubscribe: str,
    language: str = settings.LANGUAGE_CODE,
) -> Mail:
    """A multipart mail from ``comments/mail/<template>.txt`` and ``.html`` in ``language``.

    The caller renders ``subject`` and the links in ``context`` in the same language.
    """
    with translation.override(reader_language(language)):
        context = {
            **context,
            "unsubscribe_url": unsubscribe,
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
        }
        text = render_to_string(f"comments/mail/{template}.txt", context)
        html = render_to_string(f"comments/mail/{template}.html", context)
    message = Mail(
        subject=subject,
        body=text,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            "Content-Language": reader_language(language),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_mail_now(**kwargs) -> None:
    """Build and send; exceptions of the mail server reach the caller."""
    build_mail(**kwargs).send()


# What a failing or unreachable mail server raises (smtplib errors are OSErrors).
MAIL_SERVER_ERRORS = (OSError,)
