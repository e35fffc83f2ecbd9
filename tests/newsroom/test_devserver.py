"""``make run`` as a new user gets it: the real dev runner (``python -m
newsroom.devserver``) on a free port, with its web server, task worker,
periodic jobs and embedded Redis, against a database of its own.

Links point to the port it listens on, ad impressions and clicks served by the
web process reach the report after the periodic flush (another process), many
requests do not pile up database connections, and Ctrl-C leaves no process
behind.
"""

from __future__ import annotations

import csv
import http.cookiejar
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import psycopg
import pytest

from tests.support.servers import ROOT, free_port

pytestmark = pytest.mark.slow

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0"


def database_url(name: str) -> str:
    """The pytest session's embedded server (DATABASE_URL), database ``name``."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class DevServer:
    process: subprocess.Popen
    base: str
    var: Path
    database: str
    output: Path
    opener: urllib.request.OpenerDirector = field(default=None)  # type: ignore[assignment]

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, **headers: str) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - http:// of the server under test
            self.base + path, headers={"User-Agent": BROWSER, **headers}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - http:// of the server under test
            self.base + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"User-Agent": BROWSER},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        """GET the form at ``path`` and POST ``data`` with its CSRF token."""
        status, html = self.get(path)
        assert status == 200, html[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.post(path, {"csrfmiddlewaretoken": token, **data})

    def query(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(database_url(self.database), autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def log(self) -> str:
        return self.output.read_text(errors="replace")


def processes_of(var: Path) -> list[str]:
    """Processes whose environment names this run's var directory (all it started)."""
    marker = f"NEWSROOM_VAR_DIR={var}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker in (proc / "environ").read_bytes().split(b"\0"):
                found.append(f"{proc.name}: {(proc / 'cmdline').read_bytes().replace(b'\0', b' ')}")
        except OSError:  # gone, or not ours to read
            continue
    return found


@pytest.fixture(scope="module")
def devserver():
    name = f"devrun_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    # Short path: the embedded Redis listens on a Unix socket under var/run/.
    var = Path(tempfile.mkdtemp(prefix="nr-", dir="/tmp"))
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "NEWSROOM_")) and k != "REDIS_URL"
    }
    env.update(DATABASE_URL=database_url(name), NEWSROOM_VAR_DIR=str(var))
    output = var / "devserver.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "newsroom.devserver", "--port", str(port),
             "--periodic-interval", "2"],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
            start_new_session=True,  # like a terminal: Ctrl-C goes to its process group
            # As a background job of a script: SIGINT inherited as ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )  # fmt: skip
    server = DevServer(process, f"http://127.0.0.1:{port}", var, name, output)
    try:
        deadline = time.monotonic() + 600  # first start: migrations and demo content
        while True:
            assert process.poll() is None, server.log()[-3000:]
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, server.log()[-3000:]
            time.sleep(1)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        leftovers = processes_of(var)
        for line in leftovers:
            os.kill(int(line.split(":")[0]), signal.SIGKILL)
        with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)
        server.leftovers = leftovers


def first_article_path(server: DevServer) -> str:
    status, home = server.get("/")
    assert status == 200
    reserved = {"feed", "thema", "autor", "archiv", "seite", "kommentare", "anzeigen", "en"}
    paths = [
        path
        for path in re.findall(r'href="(/[a-z0-9-]+/[a-z0-9-]+/)"', home)
        if path.split("/")[1] not in reserved and path.split("/")[2] != "feed"
    ]
    assert paths, "the home page links articles"
    return paths[0]


def test_links_in_pages_feeds_sitemaps_and_mails_use_the_port_it_listens_on(devserver):
    base = devserver.base
    assert not base.endswith(":8000")
    article = first_article_path(devserver)
    status, html = devserver.get(article)
    assert status == 200
    assert f'<link rel="canonical" href="{base}{article}">' in html
    assert f'<meta property="og:url" content="{base}{article}">' in html

    status, feed = devserver.get("/feed/")
    assert status == 200
    links = [item.findtext("link") for item in ElementTree.fromstring(feed).iter("item")]  # noqa: S314
    assert links and all(link.startswith(base + "/") for link in links)

    status, sitemap = devserver.get("/sitemap.xml")
    assert status == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith(base + "/") for loc in locations)
    assert f"Sitemap: {base}/sitemap.xml" in devserver.get("/robots.txt")[1]

    # A real mail through the file backend: the double opt-in of a subscription.
    article_id = re.search(r"/kommentare/(\d+)/", html).group(1)
    status, _ = devserver.post_form(
        f"/kommentare/{article_id}/abonnieren/", {"email": "leserin@example.org", "kind": "all"}
    )
    assert status in {200, 302}
    deadline = time.monotonic() + 30
    mails = []
    while not mails and time.monotonic() < deadline:
        mails = [p.read_text() for p in (devserver.var / "mail").glob("*.log")]
        time.sleep(0.2)
    confirmation = next(m for m in mails if "leserin@example.org" in m)
    assert f"{base}/kommentare/bestaetigen/" in confirmation
    assert "127.0.0.1:8000" not in confirmation


def report_totals(server: DevServer, creative_id: int) -> tuple[int, int]:
    status, text = server.get(f"/admin/ads/creative/{creative_id}/bericht.csv")
    assert status == 200, text[:300]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, total = rows[0], rows[-1]  # the sum line: impressions and clicks by column name
    return int(total[header.index("Einblendungen")]), int(total[header.index("Klicks")])


def test_impressions_and_clicks_served_by_the_web_server_reach_the_report_after_the_flush(
    devserver,
):
    status, page = devserver.post_form(
        "/admin/login/?next=/admin/",
        {"username": "admin", "password": "admin-demo-passwort", "next": "/admin/"},
    )
    assert status == 200 and "/admin/logout/" in page, page[:500]
    status, body = devserver.get("/anzeigen/slot/home_top/?p=home", Accept="application/json")
    assert status == 200
    served = json.loads(body)
    creative = served["creative"]
    before = report_totals(devserver, creative)

    clicks = re.findall(r'href="(/anzeigen/klick/[^"]+/)"', served["html"])
    for _index in range(4):
        assert devserver.get("/anzeigen/slot/home_top/?p=home")[0] == 200
    if clicks:
        no_redirect = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(  # noqa: S310 - http:// of the server under test
            devserver.base + clicks[0], headers={"User-Agent": BROWSER}
        )
        try:
            no_redirect.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code == 302

    # The periodic job (another process) flushes every 2 s in this run.
    deadline = time.monotonic() + 60
    after = before
    while time.monotonic() < deadline:
        after = report_totals(devserver, creative)
        if after[0] > before[0] and (after[1] > before[1] or not clicks):
            break
        time.sleep(1)
    assert after[0] > before[0], f"no impression reached the report: {before} -> {after}"
    if clicks:
        assert after[1] == before[1] + 1, f"the click did not reach the report: {before} -> {after}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_many_requests_leave_a_bounded_number_of_database_connections(devserver):
    def backends() -> int:
        return devserver.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", devserver.database
        )[0][0]

    article = first_article_path(devserver)
    before = backends()
    for index in range(60):
        # Uncached requests: each is served by a new runserver thread that queries.
        assert devserver.get("/healthz")[0] == 200
        assert devserver.get(f"{article}?seite={index}")[0] == 200
    time.sleep(1)
    after = backends()
    assert after <= before + 2, f"{before} backends before, {after} after 120 requests"


def test_the_log_has_no_errors_and_ctrl_c_leaves_no_process_behind(devserver):
    status, _ = devserver.get("/")
    assert status == 200
    assert "Traceback" not in devserver.log(), devserver.log()[-3000:]

    os.killpg(devserver.process.pid, signal.SIGINT)
    assert devserver.process.wait(timeout=60) == 0
    deadline = time.monotonic() + 15
    while processes_of(devserver.var) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_of(devserver.var) == []
    assert not (devserver.var / "run" / "redis.sock").exists()
