"""Production responses carry the security headers a news site needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production_headers(tmp_path_factory):
    """Headers of '/' and '/admin/login/' served with production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="p" * 64,
        DJANGO_ALLOWED_HOSTS="news.example",
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
    )
    collect = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    code = """
import django, json
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="news.example", HTTP_X_FORWARDED_PROTO="https")
out = {}
for url in ["/healthz", "/admin/login/"]:
    r = client.get(url)
    out[url] = {"status": r.status_code, "headers": dict(r.headers),
                "cookies": {k: dict(v) for k, v in r.cookies.items()}}
r = Client(HTTP_HOST="news.example").get("/admin/login/")
out["http"] = {"status": r.status_code, "location": r.headers.get("Location", "")}
print(json.dumps(out))
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production_headers):
    assert production_headers["http"]["status"] == 301
    assert production_headers["http"]["location"].startswith("https://")


def test_hsts_nosniff_referrer_policy_and_frame_protection_are_sent(production_headers):
    headers = production_headers["/admin/login/"]["headers"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_content_security_policy_forbids_inline_scripts_and_framing(production_headers):
    csp = production_headers["/admin/login/"]["headers"]["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_cookies_are_secure_httponly_and_samesite(production_headers):
    csrf = production_headers["/admin/login/"]["cookies"]["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
