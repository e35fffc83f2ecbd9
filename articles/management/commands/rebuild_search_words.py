"""``manage.py rebuild_search_words``: rebuild the search lexicon from the published articles."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from articles.models import SearchWord
from articles.services import search_words_rebuild


class Command(BaseCommand):
    help = (
        "Baut das Wörterverzeichnis der Suche (Schreibweisen, Komposita, Vorschläge) aus "
        "allen veröffentlichten Artikeln neu auf. Täglich ausführen; neue Artikel kommen "
        "beim Veröffentlichen sofort hinzu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Nur, wenn das Verzeichnis noch leer ist."
        )
        parser.add_argument("--dry-run", action="store_true", help="Nur zählen, nichts ändern.")

    def handle(self, *args, if_empty: bool = False, dry_run: bool = False, **options) -> None:
        existing = SearchWord.objects.count()
        if dry_run or (if_empty and existing):
            self.stdout.write(f"Suchwörter: {existing} (unverändert)")
            return
        count = search_words_rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Suchwörter: {count}")
