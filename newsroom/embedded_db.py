"""The embedded PostgreSQL server used in development when no ``DATABASE_URL`` is set.

A new user needs nothing but Python: the ``pgserver`` wheel ships PostgreSQL
binaries, and its data lives under ``var/postgres/`` so it survives restarts.
``ensure_database_url()`` is called by the process entry points (``manage.py``,
``wsgi.py``, the pytest plugin) *before* settings are read, never by the
settings module itself. pgserver reference-counts the processes that use a
data directory and stops the server when the last one exits, so no orphaned
``postgres`` processes are left behind.

Development only: pgserver ships PostgreSQL 16.2, which gets no security updates,
and is a development dependency (requirements-dev.txt). In production mode
(``DJANGO_DEBUG`` off) a missing ``DATABASE_URL`` stops the start with
:class:`MissingDatabaseURL` instead; the test suite and the benchmark, which run with
``DJANGO_DEBUG`` off, ask for the embedded server explicitly (``development=True``).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = BASE_DIR / "var" / "postgres"

_server = None

PRODUCTION_MESSAGE = (
    "DATABASE_URL is not set. Production mode (DJANGO_DEBUG off) needs a PostgreSQL "
    "server: set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME (docs/deployment.md). "
    "The embedded PostgreSQL is for development only (DJANGO_DEBUG=1, `make run`)."
)
MISSING_PGSERVER_MESSAGE = (
    "DATABASE_URL is not set and the embedded PostgreSQL (pgserver, a development "
    "dependency) is not installed: install requirements-dev.txt (`make install`) or set "
    "DATABASE_URL to a postgres:// URL."
)


class MissingDatabaseURL(ImproperlyConfigured):
    """Raised instead of starting the embedded server where it must not run."""


def _debug_on() -> bool:
    from core.env import env_bool

    return env_bool("DJANGO_DEBUG", default=False)


def data_dir() -> Path:
    return Path(os.environ.get("NEWSROOM_EMBEDDED_PGDATA", DEFAULT_DATA_DIR))


def ensure_database_url(*, development: bool | None = None) -> str:
    """Return ``DATABASE_URL``, starting the embedded server if none is configured.

    ``development`` (default: ``DJANGO_DEBUG``) allows the embedded server; without
    it a missing ``DATABASE_URL`` raises :class:`MissingDatabaseURL` with the fix.
    Side effects: may create ``var/postgres/`` (first run: ``initdb``), starts
    a PostgreSQL server process, and exports ``DATABASE_URL`` for this process
    and its children.
    """
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    if not (_debug_on() if development is None else development):
        raise MissingDatabaseURL(PRODUCTION_MESSAGE)
    global _server
    if _server is None:
        # pgserver keeps a lock file in the user's runtime directory; containers
        # and CI often have none, so give it a private one under var/.
        if not os.environ.get("XDG_RUNTIME_DIR"):
            runtime = BASE_DIR / "var" / "run"
            runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        import logging

        try:
            import pgserver
        except ImportError as exc:
            raise MissingDatabaseURL(MISSING_PGSERVER_MESSAGE) from exc

        logging.getLogger("pgserver").setLevel(logging.WARNING)

        path = data_dir()
        path.parent.mkdir(parents=True, exist_ok=True)
        _server = pgserver.get_server(path, cleanup_mode="stop")
    url = _server.get_uri()
    os.environ["DATABASE_URL"] = url
    os.environ["NEWSROOM_EMBEDDED_DATABASE"] = "1"
    return url
