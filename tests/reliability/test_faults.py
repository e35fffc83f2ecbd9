"""When PostgreSQL, Redis or the mail server fail, the site stays calm, keeps
what it accepted, and recovers by itself."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.factories import ArticleFactory, SectionFactory
from tests.support.servers import app_server, free_port, production_env
from tests.support.servers import http_get as _get


@pytest.mark.slow  # gunicorn behind a TCP proxy in front of PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_postgresql_outage_answers_a_german_503_serves_cached_pages_and_recovers(
    db_proxy, static_root
):
    config = connection.settings_dict
    article = ArticleFactory(published=True, section=SectionFactory(slug="politik", name="Politik"))
    other = SectionFactory(slug="sport", name="Sport")
    ArticleFactory(published=True, section=other)
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ":"
    url = f"postgresql://{config['USER']}{password}@127.0.0.1:{db_proxy.port}/{config['NAME']}"
    env = production_env(
        database_url=url,
        redis_url=None,
        PAGE_CACHE_ENABLED="1",
        DATABASE_CONN_MAX_AGE="60",
        PGCONNECT_TIMEOUT="2",
        DJANGO_STATIC_ROOT=static_root,
    )
    with app_server(env, workers=1) as base:
        article_url = f"{base}{article.get_absolute_url()}"
        status, _headers, body = _get(article_url)
        assert status == 200 and article.headline in body  # now in the page cache

        db_proxy.down()
        # A page the cache holds keeps being served.
        status, _headers, body = _get(article_url)
        assert status == 200 and article.headline in body
        # A page it does not hold: a calm German 503 with Retry-After, no internals.
        status, headers, body = _get(f"{base}/sport/")
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert "Vorübergehend nicht erreichbar" in body
        assert '<html lang="de">' in body
        for leak in ("Traceback", "OperationalError", "psycopg", "connection", "127.0.0.1"):
            assert leak not in body
        status, _headers, _body = _get(f"{base}/healthz")
        assert status == 503

        db_proxy.up()
        # Service resumes by itself: no restart, no operator.
        deadline = time.monotonic() + 20
        while (status := _get(f"{base}/sport/")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
        assert _get(f"{base}/healthz")[0] == 200


@pytest.fixture
def dead_redis(settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.PAGE_CACHE_ENABLED = True
    return port


@pytest.mark.django_db
def test_with_redis_unreachable_pages_search_and_comments_keep_working(
    client, dead_redis, settings
):
    from comments.models import Comment, ModerationMode, ModerationSettings
    from tests.comments.conftest import form_ts

    conf = ModerationSettings.get()
    conf.mode = ModerationMode.POST
    conf.rate_limit_per_ip = 3
    conf.save()
    settings.SEARCH_RATE_LIMIT = 2
    article = ArticleFactory(published=True, headline="Wahlabend in Berlin")
    for url in ["/", article.get_absolute_url(), article.section.get_absolute_url()]:
        assert client.get(url).status_code == 200, url
    # Search works; its limit falls back to this process's counters (fail safe).
    assert client.get("/suche/", {"q": "Wahlabend"}).status_code == 200
    assert client.get("/suche/", {"q": "Berlin"}).status_code == 200
    limited = client.get("/suche/", {"q": "Wahl"})
    assert limited.status_code == 429 and "Retry-After" in limited
    # Comments are stored; the per-IP limit still holds without Redis.
    answers = [
        client.post(
            f"/kommentare/{article.pk}/schreiben/",
            {"name": "Erika", "email": f"e{n}@example.org", "text": f"Kommentar Nummer {n} hier.",
             "ts": form_ts(), "website": ""},
        ).status_code
        for n in range(4)
    ]  # fmt: skip
    assert answers[:3] == [303, 303, 303]
    assert answers[3] == 429
    assert Comment.objects.filter(article=article).count() == 3
    assert client.get("/healthz").status_code == 503  # the health check says what is down
