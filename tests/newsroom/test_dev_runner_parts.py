"""The pieces ``make run`` configures: link base, web-server connections, shared cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from newsroom import devserver, embedded_redis

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "http://127.0.0.1:18103"),
        ("localhost", "http://localhost:18103"),
        ("0.0.0.0", "http://127.0.0.1:18103"),  # noqa: S104 - listening everywhere, linked locally
        ("::", "http://[::1]:18103"),
        ("::1", "http://[::1]:18103"),
    ],
)
def test_links_point_to_the_address_the_dev_server_listens_on(host, expected):
    assert devserver.site_url(host, "18103") == expected


def test_only_the_threaded_web_server_closes_its_connection_after_each_request():
    commands = devserver.child_commands(host="127.0.0.1", port="18103")
    settings = {
        command[2] if command[1] == "manage.py" else command[2]: devserver.child_environment(
            command
        ).get("DATABASE_CONN_MAX_AGE")
        for command in commands
    }
    assert settings["runserver"] == "0"
    assert settings["task_worker"] == os.environ.get("DATABASE_CONN_MAX_AGE")


COUNTER = textwrap.dedent(
    """
    import django
    from django.conf import settings

    settings.configure(CACHES={"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": sys.argv[1]}})
    django.setup()
    from django.core.cache import cache

    for _ in range(300):
        cache.incr("counter")
    """
).replace("import django", "import sys\nimport django", 1)


@pytest.mark.slow
def test_the_embedded_redis_counts_every_increment_of_concurrent_processes():
    """Why Redis and not Django's database cache: its incr is get + set and loses counts."""
    folder = Path(tempfile.mkdtemp(prefix="nr-", dir="/tmp"))  # short: a Unix socket path
    path = folder / "run" / "redis.sock"
    process = embedded_redis.start(path)
    try:
        url = f"unix://{path}"
        import redis

        client = redis.Redis(unix_socket_path=str(path))
        client.set(":1:counter", 0)  # Django's key for "counter" (prefix '', version 1)
        workers = [
            subprocess.Popen([sys.executable, "-c", COUNTER, url], cwd=ROOT)  # noqa: S603
            for _ in range(3)
        ]
        assert [worker.wait(timeout=60) for worker in workers] == [0, 0, 0]
        assert int(client.get(":1:counter")) == 900
        assert oct(path.stat().st_mode & 0o777) == "0o700"
    finally:
        embedded_redis.stop(process)
        shutil.rmtree(folder, ignore_errors=True)
    assert process.returncode is not None
