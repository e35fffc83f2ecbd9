"""Behind the documented nginx, every reader keeps their own limits and the
admin lock-out cannot be turned against an editor.

Real processes: Debian's nginx with the configuration block of
docs/deployment.md (tests/support/nginx.py), gunicorn in production mode with
TRUSTED_PROXIES=127.0.0.1, Redis for the shared counters. Two readers are two
loopback source addresses (127.0.0.2, 127.0.0.3 …, which Linux routes to lo);
nginx sets X-Forwarded-For from what it sees, exactly as in production.
"""

from __future__ import annotations

import http.client
import re
import secrets
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group

from newsroom import roles
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.support.nginx import nginx_binary, nginx_server
from tests.support.servers import app_server, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

HOST = "news.example.de"
PASSWORD = "correct-horse-battery"


class Reader:
    """An HTTP client talking to nginx from one loopback source address."""

    def __init__(self, port: int, source: str, *, host: str = HOST):
        self.port, self.source, self.host = port, source, host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, body=None, headers=None, host=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        all_headers = {"Host": host or self.host, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _sep, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    def search(self, **headers) -> int:
        # A new query each time: nginx's proxy cache must not answer for the app.
        path = f"/suche/?q=wahl{secrets.token_hex(4)}"
        status, body = self.request("GET", path, headers=headers)
        assert status in (200, 429), body[:2000]
        return status

    def login(self, username: str, password: str, **headers) -> int:
        self.cookies.clear()
        status, page = self.request("GET", "/admin/login/")
        assert status == 200, page[:500]
        token = self.csrf_token(page)
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            }
        )
        return self.request("POST", "/admin/login/?next=/admin/", body=body, headers=headers)[0]

    @staticmethod
    def csrf_token(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def page(self, path: str) -> str:
        status, body = self.request("GET", path)
        assert status == 200, body[:500]
        return body


@pytest.fixture
def proxied(test_database_url, static_root, redis_url, tmp_path):
    if nginx_binary() is None:
        pytest.skip(
            "nginx is not installed (Debian: apt-get install nginx; .ci/run installs it): "
            "the proxy topology test needs a real nginx"
        )
    env = production_env(
        database_url=test_database_url,
        redis_url=redis_url,
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_ALLOWED_HOSTS=HOST,
        CACHE_KEY_PREFIX=f"proxy-{secrets.token_hex(4)}",
        TRUSTED_PROXIES="127.0.0.1",  # nginx, as gunicorn sees it
        SEARCH_RATE_LIMIT="3",
        SEARCH_RATE_LIMIT_WINDOW="3600",  # no window boundary during the test
        AXES_FAILURE_LIMIT="3",
        AXES_IP_FAILURE_LIMIT="6",
    )
    # app_server waits for /healthz by address (Host: 127.0.0.1, not allowed): it
    # only comes up because the health check answers before host validation.
    with app_server(env, workers=2) as base:
        upstream = base.removeprefix("http://")
        with nginx_server(upstreams=[upstream], workdir=tmp_path) as port:
            yield port


def test_each_reader_has_their_own_search_limit_and_cannot_forge_another(proxied):
    anna, bernd = Reader(proxied, "127.0.0.2"), Reader(proxied, "127.0.0.3")
    assert [anna.search() for _ in range(3)] == [200, 200, 200]
    assert anna.search() == 429  # Anna's limit is used up …
    assert bernd.search() == 200  # … Bernd's is not: not one limit for everybody
    # A forged X-Forwarded-For does not make Anna someone else …
    assert anna.search(**{"X-Forwarded-For": "198.51.100.77"}) == 429
    # … nor Bernd into Anna.
    assert bernd.search(**{"X-Forwarded-For": "127.0.0.2"}) == 200


def test_a_stranger_cannot_lock_an_editor_out_through_the_proxy(proxied):
    editor = UserFactory(username="cvd", is_staff=True)
    hasher = PBKDF2PasswordHasher()
    editor.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    editor.save(update_fields=["password"])
    stranger, own = Reader(proxied, "127.0.0.4"), Reader(proxied, "127.0.0.5")
    forged = {"X-Forwarded-For": "127.0.0.5"}  # claiming the editor's address changes nothing
    assert [stranger.login("cvd", "falsch", **forged) for _ in range(3)] == [200, 200, 429]
    assert stranger.login("cvd", PASSWORD) == 429  # the pair (cvd, stranger) is locked
    assert own.login("cvd", PASSWORD) == 302  # the editor from their address gets in

    # An address guessing many accounts is locked by address, for every account.
    guesser = Reader(proxied, "127.0.0.6")
    for name in ("anna", "bernd", "clara", "dora", "emil", "frida"):
        guesser.login(name, "falsch")
    assert guesser.login("cvd", PASSWORD) == 429
    assert own.login("cvd", PASSWORD) == 302


def test_a_health_check_by_address_through_nginx_answers(proxied):
    probe = Reader(proxied, "127.0.0.7")
    status, body = probe.request("GET", "/healthz", host="127.0.0.1")
    assert status == 200
    assert '"status": "ok"' in body
    assert probe.request("GET", "/admin/login/", host="127.0.0.1")[0] == 400


def test_an_editor_logs_in_through_nginx_on_a_port_of_its_own(proxied):
    """A browser posts the login form with ``Origin: http://host:port``; Django's
    CSRF check compares it with the Host nginx passes on, which must keep the port
    (``$host`` drops it: every form post behind nginx on a non-default port was 403)."""
    editor = UserFactory(username="cvd", is_staff=True)
    hasher = PBKDF2PasswordHasher()
    editor.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    editor.save(update_fields=["password"])
    netloc = f"{HOST}:{proxied}"
    browser = Reader(proxied, "127.0.0.8", host=netloc)
    assert browser.login("cvd", PASSWORD, Origin=f"http://{netloc}") == 302
    assert "sessionid" in browser.cookies


def test_a_page_nginx_cached_is_never_served_for_a_host_the_app_refuses(proxied):
    reader = Reader(proxied, "127.0.0.9")
    assert reader.request("GET", "/")[0] == 200
    assert reader.request("GET", "/")[0] == 200  # now in nginx's cache
    assert reader.request("GET", "/", host="evil.example")[0] == 400
    assert reader.request("GET", "/", host="evil.example")[0] == 400


def test_an_article_published_in_the_admin_reaches_readers_through_nginx_at_once(proxied, settings):
    """The app purges its own page cache on publish; nginx's copy of the section
    page must not keep the old page (nginx honouring s-maxage kept it 5 minutes)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    roles.sync_roles()  # transactional tests flush the groups the migration made
    editor = UserFactory(username="cvd", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    hasher = PBKDF2PasswordHasher()
    editor.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    editor.save(update_fields=["password"])
    section = SectionFactory(slug="wirtschaft", name="Wirtschaft")
    ArticleFactory(published=True, section=section, headline="Schon länger online", slug="alt")
    fresh = ArticleFactory(
        status="review", section=section, headline="Rechenzentrum eröffnet", slug="rechenzentrum"
    )
    reader = Reader(proxied, "127.0.0.10")
    for _ in range(3):  # cached by the app and by nginx
        assert "Rechenzentrum eröffnet" not in reader.page("/wirtschaft/")

    desk = Reader(proxied, "127.0.0.11")
    assert desk.login("cvd", PASSWORD) == 302
    status, page = desk.request("GET", "/admin/articles/article/")
    assert status == 200, page[:500]
    body = urlencode(
        {
            "action": "publish_selected",
            "_selected_action": str(fresh.pk),
            "csrfmiddlewaretoken": desk.csrf_token(page),
        }
    )
    assert desk.request("POST", "/admin/articles/article/", body=body)[0] == 302
    fresh.refresh_from_db()
    assert fresh.status == "published"

    published_at = time.monotonic()
    while "Rechenzentrum eröffnet" not in reader.page("/wirtschaft/"):
        assert time.monotonic() - published_at < 2.5, "nginx kept serving the old section page"
        time.sleep(0.2)


def _cached_keys(cache_dir) -> list[str]:
    """The keys of the responses nginx holds in its proxy cache (each file has a KEY line)."""
    keys = []
    for path in cache_dir.rglob("*"):
        if path.is_file():
            match = re.search(rb"\nKEY: ([^\n]+)\n", path.read_bytes())
            if match:
                keys.append(match.group(1).decode())
    return keys


def test_an_article_taken_down_in_the_admin_leaves_the_nginx_edge_within_seconds(
    proxied, settings, tmp_path
):
    """nginx (OSS) cannot purge by tag: its micro-cache holds a page for one second and
    then asks the app again, whose page cache the take-down has already purged by the
    article's tags. So a removed article is gone from the edge within about a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    roles.sync_roles()  # transactional tests flush the groups the migration made
    editor = UserFactory(username="cvd", is_staff=True)
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    hasher = PBKDF2PasswordHasher()
    editor.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    editor.save(update_fields=["password"])
    article = ArticleFactory(published=True, headline="Falsche Meldung", slug="falsche-meldung")
    path = article.get_absolute_url()
    reader = Reader(proxied, "127.0.0.12")
    for _ in range(3):  # in the app's page cache and in nginx's micro-cache
        assert "Falsche Meldung" in reader.page(path)
    assert any(key.endswith(path) for key in _cached_keys(tmp_path / "cache")), (
        "nginx did not cache the anonymous article page"
    )

    desk = Reader(proxied, "127.0.0.13")
    assert desk.login("cvd", PASSWORD) == 302
    step = f"/admin/articles/article/{article.pk}/arbeitsschritt/unpublish/"
    status, form = desk.request("GET", step)
    assert status == 200, form[:500]
    body = urlencode({"csrfmiddlewaretoken": desk.csrf_token(form), "note": "Falsch"})
    assert desk.request("POST", step, body=body)[0] == 302
    article.refresh_from_db()
    assert article.status == "unpublished"

    taken_down_at = time.monotonic()
    while (answer := reader.request("GET", path))[0] == 200:
        assert "Falsche Meldung" in answer[1]
        assert time.monotonic() - taken_down_at < 2.5, "nginx kept serving the removed article"
        time.sleep(0.2)
    assert answer[0] in (404, 410)
    assert "Falsche Meldung" not in answer[1]
