"""While PostgreSQL is cut off, no request answers a raw 500: the page cache's store
step and the 429 page work without the database, every other page is the calm 503."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.factories import ArticleFactory, SectionFactory
from tests.support.servers import app_server, production_env
from tests.support.servers import http_get as _get


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_raw_500_while_postgresql_is_down(db_proxy, static_root):
    config = connection.settings_dict
    ArticleFactory(published=True, section=SectionFactory(slug="sport", name="Sport"))
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ":"
    url = f"postgresql://{config['USER']}{password}@127.0.0.1:{db_proxy.port}/{config['NAME']}"
    env = production_env(
        database_url=url,
        redis_url=None,
        PAGE_CACHE_ENABLED="1",
        SEARCH_RATE_LIMIT="0",  # every search is over the limit: the 429 page
        DATABASE_CONN_MAX_AGE="60",
        PGCONNECT_TIMEOUT="2",
        DJANGO_STATIC_ROOT=static_root,
    )
    with app_server(env, workers=1) as base:
        db_proxy.down()  # before any page: neither navigation nor schedule is cached

        # robots.txt needs no database, but storing it asks for the next go-live.
        status, headers, body = _get(f"{base}/robots.txt")
        assert status == 200 and "Sitemap:" in body

        for prefix, lang, too_many, unavailable in [
            ("", "de", "Zu viele Anfragen", "Vorübergehend nicht erreichbar"),
            ("/en", "en", "Too many requests", "Temporarily unavailable"),
        ]:
            status, headers, body = _get(f"{base}{prefix}/suche/?q=Wahl")
            assert status == 429 and int(headers["Retry-After"]) > 0
            assert f'<html lang="{lang}">' in body and too_many in body
            assert 'class="site-header"' in body

            status, headers, body = _get(f"{base}{prefix}/sport/")
            assert status == 503 and int(headers["Retry-After"]) > 0
            assert f'<html lang="{lang}">' in body and unavailable in body
            assert 'class="site-header"' in body and 'class="site-footer"' in body
            for leak in ("Traceback", "OperationalError", "psycopg", "127.0.0.1"):
                assert leak not in body

            status, _headers, body = _get(f"{base}{prefix}/gibt/es/nicht/")
            assert status == 404 and f'<html lang="{lang}">' in body

        db_proxy.up()
        deadline = time.monotonic() + 20
        while (status := _get(f"{base}/sport/")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
