"""Re-queue background tasks whose worker died mid-task (see newsroom/tasks_recovery.py)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from newsroom.tasks_recovery import DEFAULT_STALE_AFTER, recover_stale_tasks


class Command(BaseCommand):
    help = (
        "Put tasks that have been RUNNING longer than --stale-after seconds (their worker "
        "died) back in the queue, and free comment notifications a dead worker had claimed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=int,
            default=int(DEFAULT_STALE_AFTER.total_seconds()),
            help="Seconds after which a running task counts as abandoned (default: %(default)s).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list what would change.")

    def handle(self, *args, stale_after: int, dry_run: bool, verbosity: int, **options):
        age = timedelta(seconds=stale_after)
        ids = recover_stale_tasks(stale_after=age, dry_run=dry_run)
        from comments.notifications import release_stale_claims

        released = release_stale_claims(stale_after=age, dry_run=dry_run)
        if verbosity:
            verb = "would re-queue" if dry_run else "re-queued"
            self.stdout.write(f"{verb} {len(ids)} task(s), {released} notification(s)")
