"""Backup and restore of the database and the media files (``manage.py backup`` / ``restore``).

A backup is one folder ``newsroom-<UTC time>/`` holding

- ``database.dump``: ``pg_dump --format=custom`` of the configured database (all tables,
  sequences and the search configuration; no owner or privileges, so it restores into a
  database owned by another role);
- ``media.tar.gz``: every file under ``MEDIA_ROOT``, or, with media on S3-compatible
  storage, ``media-listing.txt``: name and size of every object (the bucket keeps its own
  copies through versioning or replication; the listing tells what belonged to the backup);
- ``manifest.json``: when, which database, how many media files.

The PostgreSQL client programs are those of the embedded server (the ``pgserver`` package,
same version as its server) when the site runs on it, otherwise ``pg_dump`` and
``pg_restore`` from ``PATH``, which must be at least the server's major version;
``NEWSROOM_PG_BIN`` names another folder. The password goes through the environment
(``PGPASSWORD``), never the command line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # noqa: S404 - runs PostgreSQL's own client programs with fixed arguments
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections

DATABASE_FILE = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
MEDIA_LISTING = "media-listing.txt"
MANIFEST = "manifest.json"

Progress = Callable[[str], None]


class BackupError(Exception):
    """A client program failed or a backup folder is incomplete; the message says which."""


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    media_files: int
    media_archived: bool  # False: media on remote storage, only listed


def client_program(name: str) -> str:
    """Path of ``pg_dump``/``pg_restore``: ``NEWSROOM_PG_BIN``, the embedded server's, PATH."""
    folder = os.environ.get("NEWSROOM_PG_BIN")
    if not folder and os.environ.get("NEWSROOM_EMBEDDED_DATABASE"):
        import pgserver  # only where the embedded server runs (development, tests)

        folder = str(Path(pgserver.__file__).parent / "pginstall" / "bin")
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} not found{f' in {folder}' if folder else ' on PATH'}: install the "
            "PostgreSQL client programs (Debian: postgresql-client) or set NEWSROOM_PG_BIN."
        )
    return found


def _client_environment(alias: str) -> dict[str, str]:
    """libpq's environment variables for the database ``alias`` (password not in argv)."""
    config: dict[str, Any] = connections[alias].settings_dict
    env = dict(os.environ)
    values = {
        "PGHOST": config.get("HOST"),
        "PGPORT": config.get("PORT"),
        "PGUSER": config.get("USER"),
        "PGPASSWORD": config.get("PASSWORD"),
        "PGDATABASE": config.get("NAME"),
    }
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        values[variable] = config.get("OPTIONS", {}).get(option)
    for variable, value in values.items():
        env.pop(variable, None)
        if value:
            env[variable] = str(value)
    return env


def _run(arguments: list[str], *, alias: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
        arguments,
        env=_client_environment(alias),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from _walk(storage, f"{folder}/{name}" if folder else name)


def create_backup(
    *, target: Path, alias: str = "default", progress: Progress | None = None
) -> BackupResult:
    """Write a new backup folder under ``target``: database dump, media, manifest.

    Reads only; the dump is one consistent snapshot (pg_dump's own transaction). Media
    written during the backup may or may not be in it.
    """
    say = progress or (lambda _message: None)
    started = datetime.now(UTC)
    folder = target / f"newsroom-{started:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    say(f"Datenbank → {folder / DATABASE_FILE}")
    _run(
        [
            client_program("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={folder / DATABASE_FILE}",
        ],
        alias=alias,
    )
    archived = isinstance(default_storage, FileSystemStorage)
    count = 0
    if archived:
        root = Path(settings.MEDIA_ROOT)
        say(f"Mediendateien aus {root} → {folder / MEDIA_ARCHIVE}")
        with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
            if root.exists():
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=path.relative_to(root).as_posix())
                        count += 1
    else:
        say(f"Mediendateien im Objektspeicher → {folder / MEDIA_LISTING}")
        with (folder / MEDIA_LISTING).open("w", encoding="utf-8") as listing:
            for name in _walk(default_storage):
                listing.write(f"{name}\t{default_storage.size(name)}\n")
                count += 1
    manifest = {
        "created": started.isoformat(),
        "database": connections[alias].settings_dict["NAME"],
        "media_files": count,
        "media": MEDIA_ARCHIVE if archived else MEDIA_LISTING,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    say(f"{count} Mediendateien gesichert")
    return BackupResult(folder=folder, media_files=count, media_archived=archived)


def restore_backup(
    *, folder: Path, alias: str = "default", progress: Progress | None = None
) -> BackupResult:
    """Restore the backup in ``folder`` into database ``alias`` and ``MEDIA_ROOT``.

    Replaces every table the dump holds (``pg_restore --clean --if-exists``) in one
    transaction: on an error nothing is changed. Media files are written over the ones of
    the same name; other files in ``MEDIA_ROOT`` stay. A listing of remote media is not
    restored (the bucket's versioning is); the count is reported.
    """
    say = progress or (lambda _message: None)
    dump = folder / DATABASE_FILE
    if not (folder / MANIFEST).exists() or not dump.exists():
        raise BackupError(f"{folder} is not a backup folder (no {MANIFEST} or {DATABASE_FILE}).")
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    say(f"Datenbank aus {dump}")
    connections[alias].close()  # pg_restore drops tables this process may hold open
    _run(
        [
            client_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={connections[alias].settings_dict['NAME']}",
            str(dump),
        ],
        alias=alias,
    )
    count = 0
    archived = manifest.get("media") == MEDIA_ARCHIVE
    if archived:
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        say(f"Mediendateien nach {root}")
        with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
            members = [m for m in archive.getmembers() if m.isfile()]
            # "data": no absolute paths, no links or paths leaving MEDIA_ROOT.
            archive.extractall(root, members=members, filter="data")
            count = len(members)
    else:
        count = int(manifest.get("media_files", 0))
        say(f"{count} Mediendateien liegen im Objektspeicher (nur aufgelistet)")
    return BackupResult(folder=folder, media_files=count, media_archived=archived)
