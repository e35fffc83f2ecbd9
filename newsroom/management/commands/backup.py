"""Back up the database and the media files into one folder (see newsroom/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write a backup folder newsroom-<UTC time>/ under --output: database.dump (pg_dump, "
        "custom format), media.tar.gz (MEDIA_ROOT) or media-listing.txt (S3), manifest.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="Folder for the backup (default: %(default)s).",
        )
        parser.add_argument("--database", default="default", help="Database alias.")

    def handle(self, *args, output: Path, database: str, verbosity: int, **options):
        def progress(message: str) -> None:
            if verbosity:
                self.stdout.write(message)

        try:
            result = create_backup(target=output, alias=database, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # The folder alone on the last line, for scripts: folder=$(manage.py backup | tail -1)
        self.stdout.write(str(result.folder))
