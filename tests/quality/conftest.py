"""The quality gates' site: the demo content served as production serves it.

One site for the whole package: a database of its own on the tests' PostgreSQL server
(embedded, or ``DATABASE_URL``'s) with ``seed_demo`` in it, collected static files, Redis,
two gunicorn workers with production settings (DEBUG off, WhiteNoise with hashed static
names) and Debian's nginx in front with the configuration of docs/deployment.md (media
files from disk, the micro-cache). Lighthouse, axe and the other gates measure what a
reader gets, not the development server. Everything is stopped and the database
dropped when the package ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess  # noqa: S404 - manage.py of this project
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.nginx import nginx_binary, nginx_server
from tests.support.servers import ROOT, app_server, production_env, redis_server

PICK_PAGES = """
import django, json; django.setup()
from django.utils import translation
from articles.models import Article, Author, Section
published = Article.objects.published().select_related("section")
article = published.filter(language="de", teaser_image__isnull=False, translation_of__isnull=True,
                           translations__isnull=False).first() or published.first()
english = published.filter(language="en").first()
section = Section.objects.filter(articles__in=published).distinct().order_by("order").first()
author = Author.objects.filter(articles__in=published).distinct().order_by("pk").first()
print(json.dumps({"article": article.get_absolute_url(),
                  "english_article": english.get_absolute_url() if english else None,
                  "section": section.get_absolute_url(), "author": author.get_absolute_url()}))
"""


@dataclass
class Site:
    base: str  # http://127.0.0.1:<nginx port>
    pages: dict[str, str]  # name -> path

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _manage(*args: str, env: dict[str, str]) -> str:
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=1200, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)}: {completed.stdout}\n{completed.stderr}")
    return completed.stdout


@contextlib.contextmanager
def _database(name: str) -> Iterator[str]:
    """A fresh database ``name`` on the tests' server; dropped afterwards."""
    import psycopg

    from newsroom.embedded_db import ensure_database_url

    base = ensure_database_url()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(urllib.parse.urlsplit(base)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="package")
def production_site(tmp_path_factory) -> Iterator[Site]:
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx): no production-shaped site")
    workdir = tmp_path_factory.mktemp("quality-site")
    base_name = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "")).path.strip("/")
    name = f"{base_name or 'newsroom'}_quality"
    with _database(name) as database_url, redis_server() as redis_url:
        # nginx's port is known only once it runs; the app's absolute links (canonical,
        # structured data) must name it, so nginx starts first with the upstream port fixed.
        from tests.support.servers import free_port

        app_port = free_port()
        with nginx_server(upstreams=[f"127.0.0.1:{app_port}"], workdir=workdir) as port:
            base = f"http://127.0.0.1:{port}"
            env = production_env(
                database_url=database_url,
                redis_url=redis_url,
                NEWSROOM_SITE_URL=base,
                DJANGO_MEDIA_ROOT=str(workdir / "media"),
                DJANGO_STATIC_ROOT=str(workdir / "static"),
                TRUSTED_PROXIES="127.0.0.1",
            )
            _manage("migrate", "-v0", env=env)
            _manage("seed_demo", "--force", "-v0", env=env)
            _manage("collectstatic", "--noinput", "-v0", env=env)
            pages = json.loads(
                subprocess.run(  # noqa: S603 - fixed arguments
                    [sys.executable, "-c", PICK_PAGES], cwd=ROOT, env=env, capture_output=True,
                    text=True, check=True, timeout=120,
                ).stdout.strip().splitlines()[-1]
            )  # fmt: skip
            pages = {"home": "/", "search": "/suche/?q=Buergeraemter", **pages}
            with app_server(env, workers=2, port=app_port):
                yield Site(base=base, pages=pages)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("NEWSROOM_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")
