"""Two app servers sharing one PostgreSQL and one Redis behave as one site:
an article published through one is visible on the other at once (its page
cache is invalidated through the shared Redis), and rate limits are shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.db import connection

from comments.models import Comment, ModerationSettings
from newsroom import roles
from tests.factories import ArticleFactory, SectionFactory, staff_member
from tests.support.servers import ROOT, app_server, production_env, redis_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Browser:
    """A tiny HTTP client that keeps cookies itself (production cookies are
    Secure; these servers speak plain HTTP on loopback)."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.base + path, data=body, method="POST" if data is not None else "GET"
        )
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.headers, response.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def database_url() -> str:
    s = connection.settings_dict
    query = f"?host={urllib.parse.quote(s['HOST'])}" if s["HOST"].startswith("/") else ""
    host = "" if query else f"{s['HOST']}:{s['PORT'] or 5432}"
    return f"postgresql://{s['USER']}:{urllib.parse.quote(s['PASSWORD'] or '')}@{host}/{s['NAME']}{query}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = production_env(
        database_url=os.environ["DATABASE_URL"], redis_url=None, DJANGO_STATIC_ROOT=str(root)
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


@pytest.fixture
def two_servers(static_root):
    with redis_server() as redis_url:
        env = production_env(
            database_url=database_url(),
            redis_url=redis_url,
            PAGE_CACHE_ENABLED="1",
            DJANGO_STATIC_ROOT=str(static_root),
            CACHE_KEY_PREFIX="scaleout",
        )
        with app_server(env, workers=1) as first, app_server(env, workers=1) as second:
            yield first, second


def test_an_article_published_through_one_server_is_visible_on_the_other(two_servers, settings):
    first, second = two_servers
    # The servers run production settings; store the password as they verify it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    roles.sync_roles()  # transactional tests flush the groups the migration made
    staff_member("cvd", roles.EDITOR)  # signs in through the login form below
    section = SectionFactory(slug="wirtschaft", name="Wirtschaft")
    ArticleFactory(
        published=True, section=section, headline="Schon länger online", slug="schon-online"
    )
    fresh = ArticleFactory(
        status="review", section=section, headline="Rechenzentrum eröffnet", slug="rechenzentrum"
    )

    reader = Browser(second)
    assert reader.request("/wirtschaft/")[0] == 200
    status, headers, html = reader.request("/wirtschaft/")
    assert headers["X-Page-Cache"] == "HIT"
    assert "Rechenzentrum eröffnet" not in html

    desk = Browser(first)
    desk.request("/admin/login/")
    status, _, _ = desk.request(
        "/admin/login/?next=/admin/",
        {
            "username": "cvd",
            "password": "correct-horse-battery",
            "csrfmiddlewaretoken": desk.cookies["csrftoken"],
        },
    )
    assert status == 302
    status, _, _ = desk.request(
        "/admin/articles/article/",
        {
            "action": "publish_selected",
            "_selected_action": str(fresh.pk),
            "csrfmiddlewaretoken": desk.cookies["csrftoken"],
        },
    )
    assert status == 302
    fresh.refresh_from_db()
    assert fresh.status == "published"

    status, headers, html = reader.request("/wirtschaft/")
    assert status == 200
    assert "Rechenzentrum eröffnet" in html, "the other server served a stale cached page"
    assert reader.request("/wirtschaft/rechenzentrum/")[0] == 200


def test_rate_limits_are_shared_between_the_servers(two_servers):
    first, second = two_servers
    article = ArticleFactory(published=True, slug="debatte")
    conf = ModerationSettings.get()
    conf.rate_limit_per_ip = 3
    conf.min_seconds_to_fill = 0
    conf.save()

    def post(base: str, n: int):
        browser = Browser(base)
        _, _, session = browser.request("/kommentare/sitzung/")
        state = json.loads(session)
        return browser.request(
            f"/kommentare/{article.pk}/schreiben/",
            {
                "name": "Leserin",
                "email": f"leserin{n}@example.org",
                "text": f"Beitrag Nummer {n} zur Debatte",
                "ts": state["ts"],
            },
            headers={
                "X-CSRFToken": browser.cookies["csrftoken"],
                "Accept": "application/json",
                "X-Requested-With": "fetch",
            },
        )

    statuses = [post(base, n)[0] for n, base in enumerate([first, second, first, second, first])]
    assert statuses[:3] == [201, 201, 201]
    assert statuses[3:] == [429, 429]
    assert Comment.objects.filter(article=article).count() == 3
