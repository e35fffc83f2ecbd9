"""The task worker: django-tasks-db's ``db_worker`` that survives database outages.

``db_worker`` exits on the first ``OperationalError`` when PostgreSQL restarts,
fails over or a network path drops, and the task it was running stays RUNNING
until ``recover_tasks`` finds it stale (15 minutes). This command runs the same
worker loop, but when the database connection is lost it closes the broken
connections, waits (1, 2, 4 … at most ``--max-backoff`` seconds), reconnects and
carries on; the task that was interrupted is put back in the queue as soon as the
database answers again (``newsroom.tasks_recovery.requeue_interrupted_task``), so
it runs again within seconds. Our tasks are safe to re-run (see tasks_recovery).

Use it instead of ``db_worker``: ``make run`` does, and docs/deployment.md's
systemd unit. All ``db_worker`` options work the same.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from newsroom.tasks_recovery import requeue_interrupted_task

logger = logging.getLogger("newsroom.task_worker")

CONNECTION_ERRORS = (OperationalError, InterfaceError)


class ReconnectingWorker(db_worker.Worker):
    """``db_worker.Worker`` whose loop outlives a lost database connection."""

    def __init__(self, *, max_backoff: float = 30.0, **kwargs):
        super().__init__(**kwargs)
        self.max_backoff = max_backoff
        self.current_task_id: str | None = None
        self.reconnects = 0

    def run_task(self, db_task_result) -> None:
        # Remembered until the result is recorded: if recording fails because the
        # connection dropped, the exception leaves run_task with this still set.
        self.current_task_id = str(db_task_result.id)
        super().run_task(db_task_result)
        self.current_task_id = None

    def run(self) -> None:
        delay = 1.0
        while self.running:
            try:
                if self.current_task_id is not None:
                    requeue_interrupted_task(task_id=self.current_task_id)
                    self.current_task_id = None
                super().run()
                return  # --batch or --max-tasks ended the loop
            except CONNECTION_ERRORS as exc:
                self.reconnects += 1
                logger.warning(
                    "database connection lost (%s: %s); reconnecting in %.0f s",
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else "",
                    delay,
                )
                for connection in connections.all(initialized_only=True):
                    with contextlib.suppress(DatabaseError):
                        connection.close()
                self.startup_delay = False
                time.sleep(delay)
                delay = min(delay * 2, self.max_backoff)


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db's db_worker) so that it "
        "reconnects after a database outage and re-queues the task it was running."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            type=float,
            default=30.0,
            help="Longest wait between reconnection attempts, in seconds (default: %(default)s).",
        )

    def handle(self, *, verbosity, reload, max_backoff, **options) -> None:  # type: ignore[override]  # adds --max-backoff to db_worker's options
        self.configure_logging(verbosity)
        if reload and options["batch"]:
            reload = False
        exclude = options["exclude_queues"]
        if exclude and "*" not in options["queue_name"].split(","):
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReconnectingWorker(
            max_backoff=max_backoff,
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=exclude.split(",") if exclude else [],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
