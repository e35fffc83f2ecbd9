"""Recovery of background work whose worker died (kill -9, OOM, power loss).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at
it again: if that worker dies, the task stays RUNNING forever and its work is
lost. ``recover_stale_tasks`` puts such tasks back in the queue (READY) once
they have been running longer than any of our tasks legitimately runs; the
next worker runs them again. Our tasks are written to be safe to re-run
(comment notifications claim each delivery atomically and
``comments.notifications.release_stale_claims`` frees deliveries a dead worker
had claimed), so a re-run finishes the work once. Run it periodically
(``manage.py recover_tasks``, e.g. every minute from a systemd timer or cron;
see docs/deployment.md and docs/security.md).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_STALE_AFTER = timedelta(minutes=15)


def stale_running_tasks(*, stale_after: timedelta = DEFAULT_STALE_AFTER):
    """RUNNING tasks started longer than ``stale_after`` ago."""
    return DBTaskResult.objects.running().filter(started_at__lt=timezone.now() - stale_after)


def recover_stale_tasks(
    *, stale_after: timedelta = DEFAULT_STALE_AFTER, dry_run: bool = False
) -> list[str]:
    """Put stale RUNNING tasks back to READY; returns their ids.

    Side effects: updates the task rows (status, started_at), logs each one.
    Only rows still RUNNING and still stale at update time are touched, so a task
    that finished meanwhile is never re-queued.
    """
    with transaction.atomic():
        stale = list(
            stale_running_tasks(stale_after=stale_after)
            .select_for_update(skip_locked=True)
            .values_list("id", "task_path")
        )
        if dry_run or not stale:
            return [str(task_id) for task_id, _path in stale]
        DBTaskResult.objects.filter(
            id__in=[task_id for task_id, _path in stale], status="RUNNING"
        ).update(status="READY", started_at=None, run_after=timezone.now())
    for task_id, path in stale:
        logger.warning("re-queued task %s (%s): its worker stopped mid-task", task_id, path)
    return [str(task_id) for task_id, _path in stale]


def requeue_interrupted_task(*, task_id: str) -> bool:
    """Put a task whose worker lost the database mid-task back in the queue at once.

    The worker that ran it knows it was interrupted, so it need not wait the
    ``DEFAULT_STALE_AFTER`` of ``recover_stale_tasks``. Only a row still RUNNING is
    touched (a task that was recorded as finished stays finished). Side effect:
    the task row (status READY, started_at cleared, due now), a log line.
    """
    requeued = DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="READY", started_at=None, run_after=timezone.now()
    )
    if requeued:
        logger.warning("re-queued task %s: the database connection dropped mid-task", task_id)
    return bool(requeued)
