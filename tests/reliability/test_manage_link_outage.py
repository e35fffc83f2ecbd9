"""Manage-my-data while the mail server is down: known and unknown addresses get
the same answer (no enumeration), and the known one gets its link once the
server is back (a real SMTP server, tests/support/smtp_sink.py; a real
database task queue and worker)."""

from __future__ import annotations

import re
import signal
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import Comment
from core.env import smtp_mailer
from tests.factories import ArticleFactory
from tests.support.servers import free_port
from tests.support.smtp_sink import smtp_sink

pytestmark = pytest.mark.django_db(transaction=True)

KNOWN, UNKNOWN = "leserin@example.org", "niemand@example.org"


@pytest.fixture
def smtp_port(settings) -> int:
    """MAILERS points at an SMTP server on this port, which nobody listens on yet."""
    port = free_port()
    settings.MAILERS = {"default": smtp_mailer(host="127.0.0.1", port=port, timeout=3)}
    return port


@pytest.fixture
def known_reader(db):
    article = ArticleFactory(published=True)
    return Comment.objects.create(article=article, name="Leserin", email=KNOWN, text="Hallo.")


def _run_worker() -> None:
    """One batch of the real database worker, in this process.

    db_worker installs its own SIGINT/SIGTERM/SIGQUIT handlers and leaves them;
    put pytest's back so a later signal is not taken for the worker's.
    """
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    try:
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    finally:
        for name, handler in saved.items():
            signal.signal(name, handler)


def _answer(response) -> tuple[int, str]:
    """Status and the page without what differs per request (nonces, tokens)."""
    text = re.sub(r'(nonce|value)="[^"]*"', r'\1=""', response.content.decode())
    return response.status_code, text


def test_known_and_unknown_addresses_get_the_same_answer_while_mail_is_down(
    client, smtp_port, known_reader
):
    known = _answer(client.post("/kommentare/meine-daten/", {"email": KNOWN}))
    unknown = _answer(client.post("/kommentare/meine-daten/", {"email": UNKNOWN}))
    assert known[0] == unknown[0] == 200
    assert known == unknown
    assert "Wenn zu dieser Adresse" in known[1]
    json_known = client.post(
        "/kommentare/meine-daten/", {"email": KNOWN}, headers={"Accept": "application/json"}
    )
    json_unknown = client.post(
        "/kommentare/meine-daten/", {"email": UNKNOWN}, headers={"Accept": "application/json"}
    )
    assert json_known.status_code == json_unknown.status_code == 200
    assert json_known.json() == json_unknown.json()


def test_the_link_arrives_once_the_mail_server_is_back(client, settings, smtp_port, known_reader):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for address in (KNOWN, UNKNOWN):
        assert client.post("/kommentare/meine-daten/", {"email": address}).status_code == 200
    _run_worker()  # the mail server is down
    [retry] = DBTaskResult.objects.filter(status="READY")  # only the known address
    # The retry keeps the language of the page the reader asked on.
    assert retry.args_kwargs["kwargs"] == {"email": KNOWN, "language": "de", "attempt": 1}
    assert retry.run_after > timezone.now()  # later, with a back-off

    with smtp_sink(port=smtp_port) as sink:
        DBTaskResult.objects.filter(status="READY").update(
            run_after=timezone.now() - timedelta(seconds=1)
        )
        _run_worker()
        assert sink.recipients() == [KNOWN]
        body = sink.received[0].message.get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/kommentare/meine-daten/[^/\s]+/)", body).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert "Hallo." in page.text
