from django.core.management.base import BaseCommand

from comments.notifications import retry_due_deliveries


class Command(BaseCommand):
    help = (
        "Sendet fällige Kommentar-Benachrichtigungen, die noch ausstehen oder wegen eines "
        "Mailserver-Fehlers fehlgeschlagen sind (mit wachsendem Abstand zwischen Versuchen). "
        "Bereits gesendete werden nie erneut gesendet. Regelmäßig ausführen, z. B. per cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="Höchstens so viele.")
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts senden.")

    def handle(self, *args, limit=1000, dry_run=False, verbosity=1, **options):
        count = retry_due_deliveries(limit=limit, dry_run=dry_run)
        if verbosity >= 1:
            if dry_run:
                self.stdout.write(f"Probelauf: {count} Benachrichtigungen sind fällig.")
            else:
                self.stdout.write(self.style.SUCCESS(f"{count} Benachrichtigungen gesendet."))
