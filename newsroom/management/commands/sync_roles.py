from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.roles import sync_roles


class Command(BaseCommand):
    help = (
        "Legt die Rollen-Gruppen (Redakteur, Chef vom Dienst, Moderation, Anzeigen) an "
        "und setzt ihre Rechte genau auf newsroom.roles.ROLE_PERMISSIONS: die Tabelle dort "
        "ist maßgeblich, von Hand vergebene Rechte dieser Gruppen werden entfernt. "
        "Meldet jedes hinzugefügte und entfernte Recht (-v 2: auch unveränderte Gruppen)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Nur anzeigen, was sich ändern würde."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        with transaction.atomic():
            changes = sync_roles(dry_run=dry_run, verbosity=verbosity, stdout=self.stdout)
        if verbosity and not any(change.changed for change in changes):
            self.stdout.write("Alle Rollen entsprechen newsroom/roles.py.")
