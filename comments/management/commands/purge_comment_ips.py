from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from comments.models import ModerationSettings
from comments.services import purge_comment_ips


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # lazy: translated when --help prints
        "Entfernt IP-Adressen und Browserkennungen von Kommentaren, die älter als N Tage "
        "sind (Standard: ip_retention_days der Kommentar-Einstellungen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help=gettext_lazy("Älter als so viele Tage.")
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("Nur zählen, nichts ändern.")
        )

    def handle(self, *args, days=None, dry_run=False, verbosity=1, **options):
        days = ModerationSettings.get().ip_retention_days if days is None else days
        if days < 0:
            raise CommandError(_("--days muss 0 oder größer sein."))
        count = purge_comment_ips(older_than_days=days, dry_run=dry_run)
        if verbosity >= 1:
            values = {"count": count, "days": days}
            if dry_run:
                self.stdout.write(
                    ngettext(
                        "Probelauf: bei %(count)s Kommentar älter als %(days)s Tage würden "
                        "IP-Adressen entfernt.",
                        "Probelauf: bei %(count)s Kommentaren älter als %(days)s Tage würden "
                        "IP-Adressen entfernt.",
                        count,
                    )
                    % values
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        ngettext(
                            "IP-Adressen von %(count)s Kommentar älter als %(days)s Tage entfernt.",
                            "IP-Adressen von %(count)s Kommentaren älter als %(days)s Tage "
                            "entfernt.",
                            count,
                        )
                        % values
                    )
                )
