from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles.services.licences import agency_licences_expire


class Command(BaseCommand):
    help = (
        "Zieht veröffentlichte Agenturartikel zurück, deren Lizenz abgelaufen ist "
        "(Audit-Eintrag, Cache-Purge). Periodischer Job, alle 5 Minuten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur auflisten, nichts zurückziehen."
        )
        parser.add_argument(
            "--at", help="Stichzeitpunkt (ISO 8601) statt jetzt, z. B. 2026-12-24T18:00+01:00."
        )

    def handle(self, *args, dry_run=False, at=None, verbosity=1, **options):
        when: datetime | None = None
        if at:
            when = parse_datetime(at)
            if when is None:
                raise CommandError(f"--at: kein Zeitpunkt: {at!r}")
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
        articles = agency_licences_expire(at=when, dry_run=dry_run)
        if verbosity > 1 or (dry_run and verbosity):
            for article in articles:
                self.stdout.write(f"{article.pk}: {article.headline} ({article.agency})")
        if verbosity:
            verb = "wären zurückzuziehen" if dry_run else "zurückgezogen"
            self.stdout.write(f"{len(articles)} Agenturartikel {verb}.")
