"""Building and sending the comments app's mails to readers.

Every mail is German, plain text plus HTML, and carries a one-click unsubscribe
link in the body and in the ``List-Unsubscribe`` / ``List-Unsubscribe-Post``
headers (RFC 8058), written as plain ASCII by ``core.mail.Mail``.
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


def unsubscribe_url(*, subscription_id: int | None = None, email: str | None = None) -> str:
    with translation.override("de"):
        token = tokens.unsubscribe_token(subscription_id=subscription_id, email=email)
        return absolute_url(reverse("comments:unsubscribe", kwargs={"token": token}))


def build_mail(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    unsubscribe: str,
    language: str = "de",
) -> Mail:
    """A multipart mail from ``comments/mail/<template>.txt`` and ``.html`` in ``language``."""
    with translation.override(language):
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
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send_mail_now(**kwargs) -> None:
    """Build and send; exceptions of the mail server reach the caller."""
    build_mail(**kwargs).send()


# What a failing or unreachable mail server raises (smtplib errors are OSErrors).
MAIL_SERVER_ERRORS = (OSError,)
