"""Fixtures for the reliability tests: real servers (Redis, gunicorn, task workers)
against the test database, and the migrated data put back after transactional tests."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest

# Transactional tests flush the database; put back what migrations created.
from tests.support.dbstate import migrated_data_restored  # noqa: F401
from tests.support.servers import redis_server


def database_url_of(connection) -> str:
    """A postgres:// URL for the test database this process uses."""
    config = connection.settings_dict
    host = config["HOST"]
    auth = quote(config["USER"]) + (f":{quote(config['PASSWORD'])}" if config["PASSWORD"] else ":")
    if host.startswith("/"):
        return f"postgresql://{auth}@/{config['NAME']}?host={quote(host)}"
    port = f":{config['PORT']}" if config["PORT"] else ""
    return f"postgresql://{auth}@{host}{port}/{config['NAME']}"


@pytest.fixture
def db_proxy(transactional_db):
    """A TCP proxy in front of the test database that a test can cut and restore."""
    from django.db import connection

    from tests.reliability.dbproxy import DatabaseProxy

    config = connection.settings_dict
    if config["HOST"].startswith("/"):
        proxy = DatabaseProxy(unix_socket=f"{config['HOST']}/.s.PGSQL.{config['PORT'] or 5432}")
    else:
        proxy = DatabaseProxy(address=(config["HOST"], int(config["PORT"] or 5432)))
    yield proxy
    proxy.close()


@pytest.fixture
def test_database_url(transactional_db) -> str:
    from django.db import connection

    return database_url_of(connection)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> str:
    """collectstatic once: production settings serve hashed files from STATIC_ROOT."""
    import os
    import subprocess
    import sys

    from tests.support.servers import ROOT

    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="s" * 64,
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DJANGO_STATIC_ROOT=str(root),
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return str(root)


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url
