"""The embedded PostgreSQL server used when no ``DATABASE_URL`` is set.

A new user needs nothing but Python: the ``pgserver`` wheel ships PostgreSQL
binaries, and its data lives under ``var/postgres/`` so it survives restarts.
``ensure_database_url()`` is called by the process entry points (``manage.py``,
``wsgi.py``, the pytest plugin) *before* settings are read, never by the
settings module itself. pgserver reference-counts the processes that use a
data directory and stops the server when the last one exits, so no orphaned
``postgres`` processes are left behind.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / "var" / "postgres"

_server = None


def data_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_EMBEDDED_PGDATA", DEFAULT_DATA_DIR))


def ensure_database_url() -> str:
    """Return ``DATABASE_URL``, starting the embedded server if none is configured.

    Side effects: may create ``var/postgres/`` (first run: ``initdb``), starts
    a PostgreSQL server process, and exports ``DATABASE_URL`` for this process
    and its children.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    global _server
    if _server is None:
        # pgserver keeps a lock file in the user's runtime directory; containers
        # and CI often have none, so give it a private one under var/.
        if not os.environ.get("XDG_RUNTIME_DIR"):
            runtime = BASE_DIR / "var" / "run"
            runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        import logging

        import pgserver

        logging.getLogger("pgserver").setLevel(logging.WARNING)

        path = data_dir()
        path.parent.mkdir(parents=True, exist_ok=True)
        _server = pgserver.get_server(path, cleanup_mode="stop")
    url = _server.get_uri()
    os.environ["DATABASE_URL"] = url
    os.environ["NEWSROOM_EMBEDDED_DATABASE"] = "1"
    return url
