"""Backup and restore end to end: the demo site backed up from the embedded PostgreSQL,
restored by ``manage.py restore`` (as an operator runs it) into a fresh database and a
fresh media folder, has the same rows in every table and the same media files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess  # noqa: S404 - runs manage.py as the operator would
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from articles import images

ROOT = Path(__file__).resolve().parents[2]

# transaction=True: pg_dump runs in its own session and sees only committed rows.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _database_url(name: str) -> str:
    """The server's URL (the embedded one in tests) with another database name."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Rows and an md5 over every row's text, per table of the public schema."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        prints = {}
        for table in tables:
            ident = psycopg.sql.Identifier(table)
            query = psycopg.sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                "FROM {} AS t"
            ).format(ident)
            prints[table] = conn.execute(query).fetchone()
        return prints


def _media(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _backup(target: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(target), stdout=out)
    return Path(out.getvalue().splitlines()[-1])


def test_backup_of_the_demo_site_restores_into_a_fresh_database_and_media_folder(
    tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(images, "RENDITION_WIDTHS", (320,))  # keeps the seeding fast
    # The role groups come from migrate; a transactional test run before this one may
    # have flushed them, and the demo accounts need them.
    call_command("sync_roles", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    folder = _backup(tmp_path / "backups")

    manifest = json.loads((folder / "manifest.json").read_text())
    original_media = _media(settings.MEDIA_ROOT)
    assert manifest["media_files"] == len(original_media) > 10
    assert (folder / "database.dump").stat().st_size > 0

    fresh = f"restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    restored_media = tmp_path / "restored-media"
    try:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(fresh),
            "DJANGO_MEDIA_ROOT": str(restored_media),
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
        }
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "restore", str(folder), "--no-input"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert f"Wiederhergestellt: {len(original_media)} Mediendateien" in result.stdout

        original = _fingerprints(_database_url(connection.settings_dict["NAME"]))
        restored = _fingerprints(_database_url(fresh))
        assert original["articles_article"][0] > 10
        assert restored == original
        assert _media(restored_media) == original_media
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def test_restore_refuses_a_folder_that_is_no_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup folder"):
        call_command("restore", str(tmp_path), "--no-input")


def test_restore_dry_run_names_database_and_media_and_changes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = _backup(tmp_path / "backups")
    out = io.StringIO()
    call_command("restore", str(folder), "--dry-run", stdout=out)
    assert f"would replace the tables of database {connection.settings_dict['NAME']}" in (
        out.getvalue()
    )
    assert not settings.MEDIA_ROOT.exists()


def test_media_on_object_storage_is_listed_with_sizes_not_copied(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    default_storage.save("bilder/2026/foto.jpg", ContentFile(b"x" * 42))
    default_storage.save("werbung/banner.png", ContentFile(b"y" * 7))
    folder = _backup(tmp_path / "backups")
    assert not (folder / "media.tar.gz").exists()
    listing = (folder / "media-listing.txt").read_text().splitlines()
    assert listing == ["bilder/2026/foto.jpg\t42", "werbung/banner.png\t7"]
    assert json.loads((folder / "manifest.json").read_text())["media_files"] == 2
