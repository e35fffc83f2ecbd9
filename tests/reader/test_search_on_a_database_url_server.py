"""The German search table (``test_search_german.py``) on a production PostgreSQL too.

``make test`` runs the table on the embedded server. The production server is another
build (Debian's PostgreSQL with contrib, another major version), so this test runs the
same table there, in a subprocess with ``DATABASE_URL`` set to
``NEWSROOM_EXTERNAL_DATABASE_URL`` (migrations included: they must work on both).
``.ci/run`` sets the variable when a PostgreSQL server is available; without it the
test is skipped with a message.
"""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs our own test suite
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = "NEWSROOM_EXTERNAL_DATABASE_URL"


def test_the_german_search_table_passes_on_a_database_url_server():
    url = os.environ.get(VARIABLE)
    if not url:
        pytest.skip(f"{VARIABLE} is not set: the search table ran on the embedded server only")
    name = urlsplit(url).path.lstrip("/") or "newsroom"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=url,
        DATABASE_TEST_NAME=f"{name}_search_test",
    )
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "tests/reader/test_search_german.py",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert " passed" in completed.stdout
