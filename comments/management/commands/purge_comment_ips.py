from django.core.management.base import BaseCommand, CommandError

from comments.models import ModerationSettings
from comments.services import purge_comment_ips


class Command(BaseCommand):
    help = (
        "Entfernt IP-Adressen und Browserkennungen von Kommentaren, die älter als N Tage "
        "sind (Standard: ip_retention_days der Kommentar-Einstellungen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Älter als so viele Tage.")
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts ändern.")

    def handle(self, *args, days=None, dry_run=False, verbosity=1, **options):
        days = ModerationSettings.get().ip_retention_days if days is None else days
        if days < 0:
            raise CommandError("--days muss 0 oder größer sein.")
        count = purge_comment_ips(older_than_days=days, dry_run=dry_run)
        if verbosity >= 1:
            if dry_run:
                self.stdout.write(
                    f"Probelauf: bei {count} Kommentaren älter als {days} Tage würden "
                    "IP-Adressen entfernt."
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"IP-Adressen von {count} Kommentaren älter als {days} Tage entfernt."
                    )
                )
