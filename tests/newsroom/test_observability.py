"""Errors and logs an operator can follow: every answer names its request ID, a production
500 is logged with request ID, path, user and traceback (plain or JSON), the reader sees
the same ID, sentry-sdk delivers the error to a real HTTP endpoint, long commands show
progress."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import subprocess  # noqa: S404 - the settings read LOG_FORMAT at start-up
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from newsroom.observability import JsonFormatter, PlainFormatter, RequestContextFilter
from tests.factories import ImageFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.newsroom.error_urls"
    SectionFactory(name="Politik", slug="politik")
    return Client(raise_request_exception=False)


@pytest.fixture
def request_log():
    """What django.request logs, through the formatters the settings use."""
    streams = {"plain": io.StringIO(), "json": io.StringIO()}
    logger = logging.getLogger("django.request")
    handlers = []
    for name, formatter in (("plain", PlainFormatter()), ("json", JsonFormatter())):
        handler = logging.StreamHandler(streams[name])
        handler.setFormatter(formatter)
        handler.addFilter(RequestContextFilter())
        logger.addHandler(handler)
        handlers.append(handler)
    yield streams
    for handler in handlers:
        logger.removeHandler(handler)


def test_every_answer_names_its_request_id_and_keeps_a_proxys(client):
    own = client.get("/robots.txt")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", own)
    assert client.get("/robots.txt")["X-Request-ID"] != own
    from_nginx = "5f0c2a9d8e7b6a5f4e3d2c1b0a998877"
    assert client.get("/", headers={"x-request-id": from_nginx})["X-Request-ID"] == from_nginx
    forged = client.get("/", headers={"x-request-id": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


def test_a_production_500_is_logged_with_request_path_user_and_traceback(
    production, request_log, editor
):
    production.force_login(editor)
    response = production.get("/fehler/500/angemeldet/")
    request_id = response["X-Request-ID"]
    assert response.status_code == 500

    entry = json.loads(request_log["json"].getvalue().strip().splitlines()[-1])
    assert entry["level"] == "ERROR" and entry["logger"] == "django.request"
    assert entry["request_id"] == request_id
    assert entry["method"] == "GET" and entry["path"] == "/fehler/500/angemeldet/"
    assert entry["user_id"] == editor.pk
    assert entry["status_code"] == 500
    assert entry["exception"] == "RuntimeError"
    assert "a bug for a logged-in user" in entry["traceback"]

    plain = request_log["plain"].getvalue()
    assert f"[request={request_id} GET /fehler/500/angemeldet/ user={editor.pk}]" in plain
    assert "Traceback (most recent call last)" in plain


def test_the_reader_sees_the_id_the_log_names(production):
    response = production.get("/en/fehler/500/")
    assert response["X-Request-ID"] in response.content.decode()
    assert "The ID of this error" in response.content.decode()


def test_log_format_json_turns_every_log_line_into_json():
    script = (
        "import django, logging; django.setup(); "
        "log = logging.getLogger('newsroom.probe')\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('Probe %s', 'ok')\n"
    )
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_DEBUG": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.base"
    env.pop("DJANGO_LOG_FILE", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    entries = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    probe = [e for e in entries if e["logger"] == "newsroom.probe"]
    assert probe and probe[0]["message"] == "Probe ok"
    assert probe[0]["exception"] == "ZeroDivisionError"
    assert "request_id" not in probe[0]  # outside a request


def test_an_unknown_log_format_stops_the_start():
    env = {**os.environ, "LOG_FORMAT": "xml", "DJANGO_DEBUG": "1"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.base"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LOG_FORMAT must be plain or json" in result.stderr


class _Envelopes(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        auth = self.headers.get("X-Sentry-Auth", "")
        type(self).received.append((self.path, auth, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint():
    """A real HTTP server standing in for Sentry/GlitchTip: it stores every envelope."""
    _Envelopes.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Envelopes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/7", _Envelopes.received
    server.shutdown()
    server.server_close()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_with_sentry_dsn_a_500_reaches_the_error_tracker_with_request_id_and_user_id(
    settings, live_server, sentry_endpoint
):
    """A real WSGI server (the integration hooks Django's WSGI handler) and a real HTTP
    endpoint receiving the SDK's envelopes."""
    import sentry_sdk

    from newsroom.observability import init_sentry

    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.newsroom.error_urls"
    # Any logged-in account (an earlier transactional test may have flushed the role groups).
    editor = UserFactory(username="cvd", is_staff=True)
    browser = Client()
    browser.force_login(editor)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    dsn, received = sentry_endpoint
    init_sentry(dsn=dsn, environment="test", release="r1", traces_sample_rate=0)
    try:
        request = urllib.request.Request(  # noqa: S310 - the live server's http URL
            f"{live_server.url}/fehler/500/angemeldet/",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(request, timeout=30)  # noqa: S310 - the live server
        sentry_sdk.flush(timeout=10)
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
    answer.value.close()  # the error carries the open response
    assert answer.value.code == 500
    request_id = answer.value.headers["X-Request-ID"]
    events = []
    for path, auth, envelope in received:
        assert path == "/api/7/envelope/" and "sentry_key=publickey" in auth
        _header, *lines = envelope.split(b"\n")
        for item_header, payload in zip(lines[::2], lines[1::2], strict=False):
            if json.loads(item_header)["type"] == "event":
                events.append(json.loads(payload))
    errors = [
        e
        for e in events
        if any(v["type"] == "RuntimeError" for v in e.get("exception", {}).get("values", []))
    ]
    assert errors, events
    event = errors[0]
    assert event["tags"]["request_id"] == request_id
    assert event["user"] == {"id": str(editor.pk)}  # the ID only: no e-mail, name or address
    assert event["request"]["url"].endswith("/fehler/500/angemeldet/")
    assert session not in json.dumps(event)  # cookies are not sent
    assert event["environment"] == "test" and event["release"] == "r1"


def test_build_renditions_reports_its_progress(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for _ in range(3):
        ImageFactory()
    out = io.StringIO()
    call_command("build_renditions", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(",")[0] for line in lines if line.startswith("Bilder:")] == [
        "Bilder: 1/3 (33 %)",
        "Bilder: 2/3 (66 %)",
        "Bilder: 3/3 (100 %)",
    ]
    assert lines[-1].endswith("Varianten erzeugt.")
