"""Reader-page reads go to replicas; writes, admin work and a browser's requests
right after its own write go to the primary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from core import db_router

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def routed(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_1"])
    router = db_router.ReplicaRouter()
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(Article)
        seen["write"] = router.db_for_write(Article)
        return HttpResponse("ok")

    return db_router.PrimaryPinningMiddleware(view), seen


def test_anonymous_reader_reads_go_to_a_replica(routed):
    middleware, seen = routed
    middleware(RequestFactory().get("/politik/ein-artikel/"))
    assert seen == {"read": "replica_1", "write": "default"}


def test_a_write_request_uses_the_primary_and_pins_the_browser_to_it(routed):
    middleware, seen = routed
    response = middleware(RequestFactory().post("/kommentare/"))
    assert seen["read"] == "default"
    assert db_router.PIN_COOKIE in response.cookies

    request = RequestFactory().get("/politik/ein-artikel/")
    request.COOKIES[db_router.PIN_COOKIE] = "1"
    middleware(request)
    assert seen["read"] == "default"


def test_admin_reads_use_the_primary(routed):
    middleware, seen = routed
    middleware(RequestFactory().get("/admin/articles/article/"))
    assert seen["read"] == "default"


def test_reads_outside_a_request_use_the_primary(monkeypatch):
    monkeypatch.setattr(db_router, "replica_aliases", lambda: ["replica_1"])
    assert db_router.ReplicaRouter().db_for_read(Article) == "default"


def test_migrations_only_run_on_the_primary():
    router = db_router.ReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica_1", "articles")


def test_replica_urls_configure_aliases_router_and_middleware():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DATABASE_REPLICA_URLS="postgres://r1.internal/news,postgres://r2.internal/news",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, "
        "'core.db_router.PrimaryPinningMiddleware' in s.MIDDLEWARE, "
        "s.DATABASES['replica_2']['HOST'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['default', 'replica_1', 'replica_2'] ['core.db_router.ReplicaRouter'] True r2.internal"
    )


def test_s3_bucket_switches_media_to_s3_storage():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        S3_BUCKET="newsroom-media",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; d = storages['default']; "
        "print(type(d).__name__, d.bucket_name, d.endpoint_url)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "S3Storage newsroom-media http://127.0.0.1:9000"


def test_right_after_an_invalidation_reader_pages_are_filled_from_the_primary(
    routed, monkeypatch, settings
):
    """Issue #15, item 3: a page rebuilt right after a publish must not store a lagging
    replica's old rows as fresh; after the window, reads go to the replicas again."""
    import time

    from core import pagecache

    settings.DATABASE_REPLICA_FILL_FROM_PRIMARY_SECONDS = 10
    middleware, seen = routed
    pagecache.invalidate("article:1")
    middleware(RequestFactory().get("/politik/ein-artikel/"))
    assert seen["read"] == "default"
    later = time.time() + 11
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    middleware(RequestFactory().get("/politik/ein-artikel/"))
    assert seen["read"] == "replica_1"


def test_without_a_recent_invalidation_reader_reads_use_the_replicas(routed):
    middleware, seen = routed
    middleware(RequestFactory().get("/politik/ein-artikel/"))
    assert seen["read"] == "replica_1"
