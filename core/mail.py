"""The one way newsroom builds a mail: headers written the way mail clients read them.

Python's email folder (``email.policy.default`` and ``SMTP``, which Django's file,
console and SMTP backends use) gets two things wrong that readers see:

* a long header value without whitespace, such as the ``<https://…>`` of
  ``List-Unsubscribe``, is turned into RFC 2047 encoded words so that it can be
  split; clients never decode that header, so one-click unsubscribe (RFC 8058)
  breaks;
* up to Python 3.12 a non-ASCII subject folded between two encoded words loses the
  space there (``=?utf-8?q?f=C3=BCr?=`` CRLF ``=?utf-8?q?Wasserqualit=C3=A4t?=``
  reads "fürWasserqualität": RFC 2047 ignores whitespace between encoded words).

:class:`MailPolicy` folds unstructured headers (Subject, List-*, Auto-Submitted, ...)
itself: an ASCII value is written as it is, folded at whitespace only; any other
value becomes encoded words of at most 75 characters that carry their spaces inside.
Structured headers (addresses, Date, Message-ID, Content-*) keep Python's folding.
:class:`Mail` applies the policy whichever backend sends the message.
"""

from __future__ import annotations

import email.message
import email.policy
import re
import sys
from collections.abc import Sequence
from email.header import Header
from email.headerregistry import UnstructuredHeader
from email.policy import EmailPolicy, Policy

from django.core.mail import EmailMultiAlternatives

# RFC 5322 2.1.1: a line must not be longer than 998 characters (without CRLF).
MAX_LINE = 998
# RFC 2047 2: an encoded word is at most 75 characters; its line no more than 76.
ENCODED_LINE = 76
_WORDS = re.compile(r"[ \t]*[^ \t]+|[ \t]+$")


class MailPolicy(EmailPolicy):
    """``email.policy.default``/``SMTP`` with unstructured headers folded as clients read them."""

    @classmethod
    def based_on(cls, policy: Policy) -> MailPolicy:
        """This policy with the settings (line separator, line length, ...) of ``policy``."""
        if isinstance(policy, cls):
            return policy
        if not isinstance(policy, EmailPolicy):
            raise TypeError(f"Mails are generated with an EmailPolicy, not {policy!r}.")
        return cls(**vars(policy))

    def fold(self, name: str, value: str) -> str:
        folded = self._fold_unstructured(name, value)
        return folded if folded is not None else super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = self._fold_unstructured(name, value)
        if folded is None:
            return super().fold_binary(name, value)
        return folded.encode("ascii")

    def _fold_unstructured(self, name: str, value: str) -> str | None:
        if not isinstance(value, UnstructuredHeader):
            return None  # addresses, dates, ids, Content-*: Python folds them well
        text = str(value)
        if text.isascii() and "=?" not in text:
            return self._fold_at_whitespace(name, text)
        encoded = Header(text, "utf-8", maxlinelen=ENCODED_LINE, header_name=name)
        return f"{name}: {encoded.encode(linesep=self.linesep)}{self.linesep}"

    def _fold_at_whitespace(self, name: str, text: str) -> str | None:
        """``Name: text``, a line break put before whitespace where a line would be
        longer than ``max_line_length``. A longer word stays whole on its line, and the
        first word stays on the name's line (parsers of ``List-Unsubscribe`` expect it)."""
        limit = self.max_line_length or sys.maxsize
        lines = [f"{name}: "]
        for word in _WORDS.findall(text):
            if len(lines[-1]) + len(word) > limit and word[0] in " \t" and lines[-1].strip():
                lines.append(word)
            else:
                lines[-1] += word
        if any(len(line) > MAX_LINE for line in lines):
            return None  # not sendable as it is; let Python encode it
        return self.linesep.join(lines) + self.linesep


class Mail(EmailMultiAlternatives):
    """A Django mail whose headers are generated with :class:`MailPolicy`
    (by every backend: file and console use ``email.policy.default``, SMTP
    ``email.policy.SMTP``)."""

    def message(
        self, *, policy: Policy | None = email.policy.default
    ) -> email.message.EmailMessage:
        return super().message(policy=MailPolicy.based_on(policy or email.policy.default))


def send(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    html: str | None = None,
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> int:
    """Send one mail (plain text, with an HTML alternative if given); returns 1 or 0.
    Errors of the mail server reach the caller."""
    message = Mail(subject=subject, body=body, to=list(to), headers=headers, from_email=from_email)
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message.send()
