"""A real nginx (Debian's /usr/sbin/nginx) in front of test app servers.

The configuration is the one docs/deployment.md shows: ``documented_server_block``
reads its ``nginx`` code block and ``loopback_config`` swaps only what cannot run
in a test (upstream addresses, the TLS listener, cache and media paths) for
loopback ones. Each swap must find its text, so the doc and the test cannot
drift apart silently. nginx runs as the current user, with pid, temp and log
files under a temporary directory; it is stopped when the context ends.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.servers import ROOT, free_port

DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
    )


def documented_server_block() -> str:
    """The ``nginx`` code block of docs/deployment.md, verbatim."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOYMENT_DOC.read_text(), flags=re.S)
    if len(blocks) != 1:
        raise AssertionError(f"docs/deployment.md should show one nginx block, found {len(blocks)}")
    return blocks[0]


def _swap(text: str, pattern: str, replacement: str) -> str:
    new, count = re.subn(pattern, replacement, text, flags=re.M)
    if count == 0:
        raise AssertionError(f"docs/deployment.md's nginx block no longer matches {pattern!r}")
    return new


def loopback_config(*, upstreams: list[str], port: int, workdir: Path) -> str:
    """A complete nginx.conf around the documented block, for loopback."""
    block = documented_server_block()
    block = _swap(block, r"^proxy_cache_path \S+", f"proxy_cache_path {workdir}/cache")
    servers = "".join(f"    server {upstream};\n" for upstream in upstreams)
    block = _swap(block, r"(?:^    server \d+\.\d+\.\d+\.\d+:\d+;\n)+", servers)
    block = _swap(block, r"^    listen 443 ssl http2;", f"    listen 127.0.0.1:{port};")
    block = _swap(block, r"alias /srv/newsroom-media/;", f"alias {workdir}/media/;")
    (workdir / "media").mkdir(exist_ok=True)
    # As root, nginx's workers would switch to "nobody" and could not use the
    # private temporary directory: keep them as the current user.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    return f"""
{user}
daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
{block}
}}
"""


COMPOSE_CONFIG = ROOT / "deploy" / "compose" / "nginx.conf"
COMPOSE_HEADER = (
    "# nginx of compose.yaml: docs/deployment.md's nginx block with the compose service\n"
    "# `web` as upstream and plain HTTP on port 80 (TLS in front of it, or add it here).\n"
    "# Regenerate: python -m tests.support.nginx > deploy/compose/nginx.conf\n"
    "# (tests/deploy/test_containers.py fails while the two differ).\n"
)


def compose_config() -> str:
    """The documented block for compose.yaml's nginx container (conf.d/default.conf)."""
    block = documented_server_block()
    block = _swap(block, r"(?:^    server \d+\.\d+\.\d+\.\d+:\d+;\n)+", "    server web:8000;\n")
    block = _swap(block, r"^    listen 443 ssl http2;", "    listen 80;")
    return COMPOSE_HEADER + "\n" + block


@contextlib.contextmanager
def nginx_server(*, upstreams: list[str], workdir: Path) -> Iterator[int]:
    """Run nginx proxying to ``upstreams`` ("127.0.0.1:port"); yield its port."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed")
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(loopback_config(upstreams=upstreams, port=port, workdir=workdir))
    command = [binary, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)  # noqa: S603
    if check.returncode != 0:
        raise RuntimeError(f"nginx refused the documented configuration:\n{check.stderr}")
    stderr = (workdir / "stderr.log").open("wb")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(workdir / 'stderr.log').read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not listen within 20 s")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        stderr.close()


if __name__ == "__main__":
    print(compose_config(), end="")
