"""The periodic jobs, and a loop that runs them (``make run`` starts it).

Production runs each command from a systemd timer or cron (docs/deployment.md,
section 5). Development has no cron, so ``newsroom.devserver`` starts
``python -m newsroom.periodic`` next to the web server and the task worker: it
runs every job once a minute, so ``make run`` behaves like production (failed
notification mails are retried, tasks of a dead worker recovered, ad counts
flushed). A failing job is logged and tried again next round; the loop ends
with its parent process.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

logger = logging.getLogger(__name__)

# (command, interval in production) — the same table as in docs/deployment.md.
JOBS: list[tuple[str, str]] = [
    ("recover_tasks", "every minute"),
    ("retry_comment_notifications", "every 5 minutes"),
    ("sweep_comment_notifications", "every 5 minutes"),
    ("flush_ad_counts", "every minute"),
    ("expire_agency_licences", "every 5 minutes"),
]


def run_once(*, verbosity: int = 0) -> dict[str, str]:
    """Run every job once; returns ``{command: "ok" | error}``. Never raises."""
    from django.core.management import call_command

    results = {}
    for command, _interval in JOBS:
        try:
            call_command(command, verbosity=verbosity)
            results[command] = "ok"
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others
            logger.exception("periodic job %s failed", command)
            results[command] = f"{type(exc).__name__}: {exc}"
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interval", type=float, default=60.0, help="Sekunden zwischen Runden")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
    import django

    django.setup()
    parent = os.getppid()
    while os.getppid() == parent:  # the dev server went away: stop too
        run_once()
        deadline = time.monotonic() + args.interval
        while time.monotonic() < deadline and os.getppid() == parent:
            time.sleep(1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
