from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.roles import ROLE_PERMISSIONS, sync_roles


class Command(BaseCommand):
    help = (
        "Legt die Rollen-Gruppen (Redakteur, Chef vom Dienst, Moderation, Anzeigen) an "
        "und setzt ihre Rechte genau auf newsroom.roles.ROLE_PERMISSIONS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Nur anzeigen, nichts ändern.")

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        if dry_run:
            for group, perms in ROLE_PERMISSIONS.items():
                self.stdout.write(f"{group}: {', '.join(perms)}")
            return
        with transaction.atomic():
            counts = sync_roles()
        if verbosity:
            for group, count in counts.items():
                self.stdout.write(f"{group}: {count} Rechte")
