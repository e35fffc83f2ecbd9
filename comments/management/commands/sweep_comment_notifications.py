"""Fan out the notifications of approved comments that never got them."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils.translation import gettext_lazy, ngettext

from comments.notifications import SWEEP_GRACE, sweep_missed_notifications


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # shown in the active language
        "Erzeugt die Abonnenten-Benachrichtigungen freigegebener Kommentare, für die das "
        "noch nie geschehen ist (z. B. weil die Datenbank direkt nach dem Speichern kurz "
        "weg war), genau einmal. Regelmäßig ausführen, z. B. per cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--grace",
            type=int,
            default=int(SWEEP_GRACE.total_seconds()),
            help=gettext_lazy("Erst Kommentare, die seit so vielen Sekunden freigegeben sind."),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Nur zählen, nichts ändern.")
        )

    def handle(self, *args, grace: int, dry_run: bool, verbosity: int, **options):
        count = sweep_missed_notifications(grace=timedelta(seconds=grace), dry_run=dry_run)
        if verbosity >= 1:
            text = (
                ngettext(
                    "Probelauf: %(count)s Kommentar ohne Benachrichtigungen.",
                    "Probelauf: %(count)s Kommentare ohne Benachrichtigungen.",
                    count,
                )
                if dry_run
                else ngettext(
                    "Benachrichtigungen für %(count)s Kommentar nachgeholt.",
                    "Benachrichtigungen für %(count)s Kommentare nachgeholt.",
                    count,
                )
            )
            self.stdout.write(text % {"count": count})
