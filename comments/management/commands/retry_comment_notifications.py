from django.core.management.base import BaseCommand

from comments.notifications import retry_due_deliveries
from comments.services import resend_pending_confirmations


class Command(BaseCommand):
    help = (
        "Sendet fällige Kommentar-Benachrichtigungen, die noch ausstehen oder wegen eines "
        "Mailserver-Fehlers fehlgeschlagen sind (mit wachsendem Abstand zwischen Versuchen). "
        "Bereits gesendete werden nie erneut gesendet. Sendet außerdem Bestätigungsmails für "
        "Abonnements erneut, die wegen eines Mailserver-Fehlers nicht verschickt wurden. "
        "Regelmäßig ausführen, z. B. per cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="Höchstens so viele.")
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts senden.")

    def handle(self, *args, limit=1000, dry_run=False, verbosity=1, **options):
        count = retry_due_deliveries(limit=limit, dry_run=dry_run)
        if dry_run:
            if verbosity >= 1:
                self.stdout.write(f"Probelauf: {count} Benachrichtigungen sind fällig.")
            return
        confirmations = resend_pending_confirmations()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{count} Benachrichtigungen gesendet."))
            if confirmations:
                self.stdout.write(
                    self.style.SUCCESS(f"{confirmations} Bestätigungsmails nachgesendet.")
                )
