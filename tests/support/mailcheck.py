"""Does a mail read, in a mail client, as the app meant it?

``assert_sendable`` looks at the bytes a backend writes (RFC 5322 and RFC 2047 rules a
client relies on); ``assert_reads_as_meant`` makes those bytes from a Django mail the
way the file/console backends (``email.policy.default``) and the SMTP backend
(``email.policy.SMTP``) do, parses them back with ``email.policy.default`` and compares
every header with what the app set. ``tests/conftest.py`` runs it on every mail every
test sends, so each mail test is also a test of the headers.
"""

from __future__ import annotations

import email
import email.policy
import re
from email.headerregistry import AddressHeader
from email.message import EmailMessage
from pathlib import Path

from django.core.mail import EmailMessage as DjangoEmailMessage

from core.mail import Mail

ENCODED_WORD = re.compile(rb"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
# Headers a client or a mail server reads as a URL or a token, never decoding them.
VERBATIM = ("list-unsubscribe", "list-unsubscribe-post", "list-id", "list-help", "list-archive")
POLICIES = {"file/console": email.policy.default, "smtp": email.policy.SMTP}


def raw_headers(raw: bytes) -> list[tuple[str, bytes]]:
    """(name, unfolded raw value) of each header of the top-level header section."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    unfolded = re.sub(rb"\r?\n(?=[ \t])", b"", head)
    headers = []
    for line in unfolded.splitlines():
        name, _, value = line.partition(b":")
        headers.append((name.decode("ascii"), value.strip()))
    return headers


def assert_sendable(raw: bytes) -> EmailMessage:
    """The header rules every mail meets; returns the parsed mail."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    assert head.isascii(), f"8-bit header bytes (no SMTPUTF8 here):\n{head!r}"
    for line in head.splitlines():
        assert len(line) <= 998, f"header line longer than RFC 5322 allows: {line!r}"
        for word in ENCODED_WORD.findall(line):
            assert len(word) <= 75, f"encoded word longer than RFC 2047 allows: {word!r}"
    for name, value in raw_headers(raw):
        if name.lower() in VERBATIM:
            assert b"=?" not in value, f"{name} is RFC 2047-encoded; clients read it raw: {value!r}"
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert not parsed.defects, parsed.defects
    for name in ("From", "Date", "Message-ID", "Subject"):
        assert parsed[name] is not None, f"no {name} header"
    assert parsed["Date"].datetime is not None
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(parsed["Message-ID"]))
    if parsed["List-Unsubscribe"] is not None:
        assert re.fullmatch(r"<https?://[!-~]+>", str(parsed["List-Unsubscribe"])), parsed[
            "List-Unsubscribe"
        ]
        # RFC 8058: one-click needs this exact companion header.
        assert str(parsed["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    return parsed


def _addresses(value: str) -> list[tuple[str, str]]:
    header = email.policy.default.header_factory("To", value)
    assert isinstance(header, AddressHeader)
    return [(a.display_name, a.addr_spec) for a in header.addresses]


def assert_reads_as_meant(message: DjangoEmailMessage) -> None:
    """The mail's bytes, parsed back, carry exactly the subject, addresses and extra
    headers the app gave it, with every backend's policy."""
    assert isinstance(message, Mail), (
        f"{type(message).__name__} is not core.mail.Mail: Django's own folding breaks "
        "long headers and spaces in subjects; build every mail with core.mail"
    )
    for backend, policy in POLICIES.items():
        raw = message.message(policy=policy).as_bytes()
        parsed = assert_sendable(raw)
        context = f"({backend} backend)\n{raw.decode('ascii', 'replace')}"
        assert str(parsed["Subject"]) == str(message.subject), context
        assert _addresses(str(parsed["From"])) == _addresses(message.from_email), context
        assert _addresses(str(parsed["To"])) == _addresses(", ".join(message.to)), context
        raw_by_name = {name.lower(): value for name, value in raw_headers(raw)}
        for name, meant in message.extra_headers.items():
            assert str(parsed[name]) == meant, context
            if meant.isascii():
                # An ASCII value is written as it is, not encoded.
                assert raw_by_name[name.lower()].decode("ascii") == meant, context


# Django's file backend writes each mail followed by a line of 79 dashes.
FILE_BACKEND_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def written_mails(folder: Path) -> list[tuple[bytes, EmailMessage]]:
    """(raw bytes, parsed mail) of every mail Django's file backend wrote to ``folder``,
    each checked by ``assert_sendable``; by file time, oldest first (a coarse order:
    mails sent within a few milliseconds may share it)."""
    mails = []
    for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(FILE_BACKEND_SEPARATOR):
            if chunk.strip():
                mails.append((chunk, assert_sendable(chunk)))
    return mails
