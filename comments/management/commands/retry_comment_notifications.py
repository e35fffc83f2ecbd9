from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy, ngettext

from comments.notifications import retry_due_deliveries
from comments.services import resend_pending_confirmations


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help prints
        "Sendet fällige Kommentar-Benachrichtigungen, die noch ausstehen oder wegen eines "
        "Mailserver-Fehlers fehlgeschlagen sind (mit wachsendem Abstand zwischen Versuchen). "
        "Bereits gesendete werden nie erneut gesendet. Sendet außerdem Bestätigungsmails für "
        "Abonnements erneut, die wegen eines Mailserver-Fehlers nicht verschickt wurden. "
        "Regelmäßig ausführen, z. B. per cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=1000, help=gettext_lazy("Höchstens so viele.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Nur zählen, nichts senden.")
        )

    def handle(self, *args, limit=1000, dry_run=False, verbosity=1, **options):
        count = retry_due_deliveries(limit=limit, dry_run=dry_run)
        if dry_run:
            if verbosity >= 1:
                self.stdout.write(
                    ngettext(
                        "Probelauf: %(count)s Benachrichtigung ist fällig.",
                        "Probelauf: %(count)s Benachrichtigungen sind fällig.",
                        count,
                    )
                    % {"count": count}
                )
            return
        confirmations = resend_pending_confirmations()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    ngettext(
                        "%(count)s Benachrichtigung gesendet.",
                        "%(count)s Benachrichtigungen gesendet.",
                        count,
                    )
                    % {"count": count}
                )
            )
            if confirmations:
                self.stdout.write(
                    self.style.SUCCESS(
                        ngettext(
                            "%(count)s Bestätigungsmail nachgesendet.",
                            "%(count)s Bestätigungsmails nachgesendet.",
                            confirmations,
                        )
                        % {"count": confirmations}
                    )
                )
