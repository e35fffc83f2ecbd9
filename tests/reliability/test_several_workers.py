"""Several task workers share one queue and never run the same task twice."""

from __future__ import annotations

import os
import signal

import pytest
from django_tasks_db.models import DBTaskResult

from tests.reliability.tasks import record_once
from tests.reliability.test_worker_crash import DATABASE_TASKS, _wait, _worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_two_workers_run_each_of_forty_tasks_exactly_once(settings, tmp_path, test_database_url):
    settings.TASKS = DATABASE_TASKS
    keys = [f"task-{n}" for n in range(40)]
    for key in keys:
        record_once.using(backend="default").enqueue(folder=str(tmp_path), key=key)

    workers = [_worker(test_database_url), _worker(test_database_url)]
    try:
        _wait(
            lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(keys),
            timeout=60,
        )
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=10)

    started = (tmp_path / "started").read_text().split()
    assert sorted(started) == sorted(keys), "a task ran twice or not at all"
    # Each result was claimed by exactly one worker.
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
