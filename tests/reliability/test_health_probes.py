"""During a PostgreSQL outage readiness says so and liveness does not, so a load
balancer stops sending new work while no orchestrator restarts the app servers, which
keep serving cached pages; both answer a probe by address."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from django.db import connection

from tests.factories import ArticleFactory, SectionFactory
from tests.support.servers import app_server, production_env
from tests.support.servers import http_get as _get


def _probe(url: str) -> tuple[int, dict]:
    """GET ``url`` the way a load balancer does: by address, with a Host nobody allowed."""
    request = urllib.request.Request(url, headers={"Host": "10.0.0.11:8000"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow  # gunicorn behind a TCP proxy in front of PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_postgresql_outage_fails_readiness_but_not_liveness(db_proxy, static_root):
    config = connection.settings_dict
    article = ArticleFactory(published=True, section=SectionFactory(slug="politik", name="Politik"))
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ":"
    url = f"postgresql://{config['USER']}{password}@127.0.0.1:{db_proxy.port}/{config['NAME']}"
    env = production_env(
        database_url=url,
        redis_url=None,
        PAGE_CACHE_ENABLED="1",
        PGCONNECT_TIMEOUT="2",
        DJANGO_STATIC_ROOT=static_root,
    )
    with app_server(env, workers=1) as base:
        article_url = f"{base}{article.get_absolute_url()}"
        assert _get(article_url)[0] == 200  # now in the page cache
        status, body = _probe(f"{base}/healthz/ready")
        assert status == 200 and body["down"] == []

        db_proxy.down()
        status, body = _probe(f"{base}/healthz/ready")
        assert status == 503
        assert body["status"] == "down" and body["down"] == ["database"]
        assert body["checks"]["database"].startswith("down: ")
        assert body["checks"]["task_backlog"] == "unknown: database down"
        assert _probe(f"{base}/healthz/live") == (200, {"status": "ok"})
        assert _get(article_url)[0] == 200  # the cached page is still served

        db_proxy.up()
        deadline = time.monotonic() + 20
        while (status := _probe(f"{base}/healthz/ready")[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert status == 200
        assert _probe(f"{base}/healthz") == (
            200,
            {"status": "ok", "checks": {"database": "ok", "cache": "ok"}, "down": []},
        )
