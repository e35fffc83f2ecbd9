"""Reading the mails the live server wrote (file-based backend) like a reader would."""

from __future__ import annotations

import re
from email.message import EmailMessage


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message: EmailMessage, path_part: str) -> str:
    """The first link in the plain-text body whose path contains ``path_part``."""
    for url in re.findall(r"https?://\S+", text_of(message)):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in:\n{text_of(message)}")


def mails_to(messages: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in messages if address in m["To"]]
