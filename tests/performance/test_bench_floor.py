"""The benchmark's floor project (tests/benchmarks/floor/) starts under gunicorn and
answers with a page of the size it is given, as `make bench` relies on."""

import secrets

import pytest

from tests.benchmarks.run import FLOOR_APP
from tests.support.servers import app_server, http_get

pytestmark = pytest.mark.slow


def test_bench_floor_project_serves_a_page_of_the_requested_size():
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.floor.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "FLOOR_PAGE_BYTES": "54321",
        "PATH": "/usr/bin:/bin",
    }
    with app_server(env, workers=1, app=FLOOR_APP) as base:
        status, headers, body = http_get(base + "/")
    assert status == 200
    assert len(body.encode()) == 54321
    assert body.startswith("<!DOCTYPE html>")
    # Only SecurityMiddleware's headers, nothing of newsroom's stack (no CSP, no cookies).
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in headers
    assert "Set-Cookie" not in headers
