"""Mails built with core.mail read in a mail client as they were meant, through each real
backend: the file backend (development, var/mail/) and SMTP (a real SMTP server).

Python's own folding turns a long URL header into RFC 2047 encoded words, which clients
do not decode (one-click unsubscribe breaks), and up to Python 3.12 drops the space
between two encoded words of a subject ("fürWasserqualität")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core import mail
from core.env import parse_email_url, smtp_mailer
from tests.support.mailcheck import assert_sendable, raw_headers
from tests.support.smtp_sink import smtp_sink

ROOT = Path(__file__).resolve().parents[2]
DJANGO_MAIL_IMPORT = re.compile(
    r"^\s*(from django\.core\.mail\b|import django\.core\.mail|from django\.core import .*\bmail\b)",
    re.MULTILINE,
)
UNSUBSCRIBE = (
    "<http://127.0.0.1:8010/kommentare/abmelden/"
    "eyJzIjoxMjN9:1tX3kq:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnop/>"
)
SUBJECTS = [
    "Zur Prüfung: Hochschule entwickelt Sensor für Wasserqualität",
    "Neuer Kommentar zu „Überschwemmungen in Süddeutschland: Bürgermeister fordern "
    "schnellere Hilfe für alle Geschädigten und einen Plan für den nächsten Sommer“",
    "🎉 Jubiläum: „100 Jahre“ – \"Täglicher Bote\" feiert mit 'Lesern' 🗞️",
    "Published: City council approves the new budget for public transport and road works",
    "Zwei  Leerzeichen,  ein Tab\tund  Schluss",
    "Ä" * 120,
    "Kurz",
]


def _send(subject: str, *, from_email: str | None = None) -> None:
    mail.send(
        subject=subject,
        body="Text mit Umlauten: äöü ß.",
        html="<p>Text mit Umlauten: äöü ß.</p>",
        to=["Jürgen Müller <leser@example.org>"],
        from_email=from_email,
        headers={
            "List-Unsubscribe": UNSUBSCRIBE,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def _check(raw: bytes, subject: str) -> None:
    received = assert_sendable(raw)
    assert str(received["Subject"]) == subject
    to = received["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("Jürgen Müller", "leser@example.org")
    headers = dict(raw_headers(raw))
    assert headers["List-Unsubscribe"] == UNSUBSCRIBE.encode("ascii")
    assert f"\nList-Unsubscribe: {UNSUBSCRIBE}\n".encode() in raw.replace(b"\r\n", b"\n")
    assert headers["List-Unsubscribe-Post"] == b"List-Unsubscribe=One-Click"
    assert headers["Auto-Submitted"] == b"auto-generated"


@pytest.mark.parametrize("subject", SUBJECTS)
def test_the_file_backend_writes_subjects_and_unsubscribe_headers_clients_read(
    settings, tmp_path, subject
):
    # EMAIL_URL=file://<folder>: Django's file backend, as `make run` uses for var/mail/.
    settings.MAILERS = {"default": parse_email_url(f"file://{tmp_path}", file_path=Path("unused"))}
    _send(subject)
    (written,) = tmp_path.iterdir()
    _check(written.read_bytes(), subject)


@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_real_smtp_server_receives_subjects_and_unsubscribe_headers_clients_read(
    settings, subject
):
    with smtp_sink() as sink:
        settings.MAILERS = {"default": smtp_mailer(host=sink.host, port=sink.port, timeout=5)}
        _send(subject)
    (received,) = sink.received
    assert b"\r\n" in received.data
    _check(received.data, subject)


def test_the_sender_is_the_publication_and_its_name_decodes(settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DEFAULT_FROM_EMAIL"}
    env |= {"NEWSROOM_SITE_NAME": "Täglicher Bote, Köln", "DJANGO_SETTINGS_MODULE": ""}
    script = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'newsroom.settings.test'\n"
        "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    from_email = result.stdout.strip()
    assert from_email == '"Täglicher Bote, Köln" <redaktion@localhost>'

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    _send("Ihr Hinweis ist eingegangen", from_email=from_email)
    (written,) = tmp_path.iterdir()
    received = assert_sendable(written.read_bytes())
    (sender,) = received["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (
        "Täglicher Bote, Köln",
        "redaktion@localhost",
    )


def test_every_mail_of_the_app_is_built_with_core_mail():
    """Django's send_mail/EmailMessage fold with Python's defaults (the bugs above);
    only core/mail.py may use them."""
    senders = ("send_mail(", "send_mass_mail(", "mail_admins(", "mail_managers(", "EmailMessage(")
    offenders = []
    for folder in ("core", "articles", "comments", "ads", "pages", "ticker", "newsroom"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "core" / "mail.py":
                continue
            text = path.read_text(encoding="utf-8")
            if DJANGO_MAIL_IMPORT.search(text) or any(f" {s}" in text for s in senders):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
