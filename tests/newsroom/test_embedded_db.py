"""The embedded PostgreSQL starts from the pip package, keeps its data under the
given folder, is reused on the next start and leaves no server behind."""

import os
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys
    import psycopg
    from newsroom.embedded_db import ensure_database_url

    url = ensure_database_url(development=True)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS marker (value text)")
        if sys.argv[1] == "write":
            conn.execute("INSERT INTO marker VALUES ('kept')")
        rows = conn.execute("SELECT value FROM marker").fetchall()
    print("rows=" + ",".join(r[0] for r in rows))
    """
)


def start(pgdata: Path, mode: str) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "NEWSROOM_EMBEDDED_DATABASE"}
    }
    env["NEWSROOM_EMBEDDED_PGDATA"] = str(pgdata)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT, mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def postmaster_running(pgdata: Path) -> bool:
    return (pgdata / "postmaster.pid").exists()


@pytest.fixture
def pgdata():
    """A data directory under var/, not pytest's tmp dir: PostgreSQL runs as the
    unprivileged 'pgserver' user, and concurrent pytest sessions reset
    /tmp/pytest-of-<user> to mode 0700, which would lock that user out."""
    path = ROOT / "var" / "test-embedded" / uuid.uuid4().hex[:12] / "pg"
    path.parent.mkdir(parents=True)
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.mark.slow  # starts and stops a second PostgreSQL server, twice
def test_embedded_database_is_reused_on_a_second_start_and_stopped_after_each(pgdata):
    assert "rows=kept" in start(pgdata, "write")
    assert (pgdata / "PG_VERSION").exists()
    deadline = time.monotonic() + 10
    while postmaster_running(pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not postmaster_running(pgdata), "the server outlived the process that started it"

    # Second start: same data directory, the row written before is still there.
    assert "rows=kept" in start(pgdata, "read")
