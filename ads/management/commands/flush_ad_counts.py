from django.core.management.base import BaseCommand

from ads.services import ad_counts_flush


class Command(BaseCommand):
    help = (
        "Move buffered ad impressions and clicks from the cache into the daily "
        "statistics. Schedule it every minute (cron or systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show what is waiting to be flushed."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        result = ad_counts_flush(dry_run=dry_run)
        if result.skipped:
            self.stderr.write("Another flush is running; nothing done.")
            return
        if verbosity >= 1:
            prefix = "Waiting" if dry_run else "Flushed"
            self.stdout.write(
                f"{prefix}: {result.impressions} impressions, {result.clicks} clicks"
                + ("" if dry_run else f" into {result.rows} rows")
            )
            if verbosity >= 2:
                self.stdout.write(
                    f"Viewable: {result.viewable}; invalid traffic (apart): {result.invalid}"
                )
