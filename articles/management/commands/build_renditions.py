from django.core.management.base import BaseCommand

from articles.images import build_renditions
from articles.models import Image
from core.progress import Progress


class Command(BaseCommand):
    help = "Erzeugt fehlende Bildvarianten (srcset) aller Bilder; --force baut alle neu."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Alle Varianten neu erzeugen.")
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts erzeugen.")

    def handle(self, *args, force=False, dry_run=False, verbosity=1, **options):
        total = 0
        progress = Progress(
            total=Image.objects.count(),
            write=self.stdout.write if verbosity and not dry_run else lambda _line: None,
            label="Bilder",
        )
        for image in Image.objects.order_by("pk").iterator():
            if dry_run:
                if force or not image.renditions.exists():
                    self.stdout.write(f"{image.pk}: {image.file.name}")
                continue
            created = build_renditions(image, force=force)
            total += len(created)
            if verbosity > 1:
                self.stdout.write(f"{image.pk}: {len(created)} Varianten")
            progress.advance()
        if verbosity and not dry_run:
            self.stdout.write(f"{total} Varianten erzeugt.")
