"""Restore a backup folder written by ``manage.py backup`` (see newsroom/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import DATABASE_FILE, MANIFEST, BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database's tables with those of a backup folder (one transaction) and "
        "write its media files into MEDIA_ROOT. Stop the web and task processes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A newsroom-<time>/ folder of `backup`.")
        parser.add_argument("--database", default="default", help="Database alias.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Do not ask."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the folder and say what happens."
        )

    def handle(
        self,
        *args,
        folder: Path,
        database: str,
        interactive: bool,
        dry_run: bool,
        verbosity: int,
        **options,
    ):
        if not (folder / MANIFEST).exists() or not (folder / DATABASE_FILE).exists():
            raise CommandError(
                f"{folder} is not a backup folder (no {MANIFEST} or {DATABASE_FILE})."
            )
        target = settings.DATABASES[database]["NAME"]
        if dry_run:
            self.stdout.write(
                f"would replace the tables of database {target} and write media into "
                f"{settings.MEDIA_ROOT} from {folder}"
            )
            return
        if interactive:
            answer = input(
                f"Alle Tabellen der Datenbank {target} werden durch die Sicherung ersetzt. "
                "Fortfahren? [ja/nein] "
            )
            if answer.strip().lower() not in ("ja", "j", "yes", "y"):
                raise CommandError("Abgebrochen.")

        def progress(message: str) -> None:
            if verbosity:
                self.stdout.write(message)

        try:
            result = restore_backup(folder=folder, alias=database, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Wiederhergestellt: {result.media_files} Mediendateien")
            )
