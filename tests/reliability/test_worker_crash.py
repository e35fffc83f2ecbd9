"""A task worker killed mid-task: the task runs again and its work is done once.

django-tasks-db leaves a task RUNNING forever when its worker dies;
``manage.py recover_tasks`` (newsroom/tasks_recovery.py) puts it back in the queue.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.reliability.tasks import record_once
from tests.support.servers import ROOT, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]  # real worker processes

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker(database_url: str) -> subprocess.Popen:
    env = production_env(database_url=database_url, redis_url=None)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_task_whose_worker_was_killed_runs_again_and_finishes_once(
    settings, tmp_path, test_database_url
):
    settings.TASKS = DATABASE_TASKS
    (tmp_path / "hold").touch()
    result = record_once.using(backend="default").enqueue(folder=str(tmp_path), key="k1")

    first = _worker(test_database_url)
    try:
        _wait(lambda: (tmp_path / "started").exists())
        os.killpg(first.pid, signal.SIGKILL)  # mid-task, like an OOM kill
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "RUNNING"  # abandoned: django-tasks-db would never run it again
    assert not (tmp_path / "effects").exists()

    # Not yet stale: a task that may still be running elsewhere is left alone.
    call_command("recover_tasks", stale_after=3600, verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    DBTaskResult.objects.filter(pk=result.id).update(
        started_at=timezone.now() - timedelta(minutes=20)
    )
    call_command("recover_tasks", verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"

    (tmp_path / "hold").unlink()
    second = _worker(test_database_url)
    try:
        _wait(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL")
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=10)
    assert (tmp_path / "started").read_text().split() == ["k1", "k1"]  # it ran again
    assert (tmp_path / "effects").read_text().split() == ["k1"]  # …and its work was done once
    # Running the recovery again changes nothing.
    call_command("recover_tasks", stale_after=0, verbosity=0)
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
