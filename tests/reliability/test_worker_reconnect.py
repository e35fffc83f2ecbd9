"""The task worker outlives a database outage: a real ``manage.py task_worker``
process talks to PostgreSQL through a proxy the test cuts and restores. It stays
alive, re-queues the task the outage interrupted (at once, not after 15 minutes)
and runs the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.reliability.tasks import record_once
from tests.support.servers import ROOT, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker(command: str, database_url: str, log: Path) -> subprocess.Popen:
    env = production_env(database_url=database_url, redis_url=None, PGCONNECT_TIMEOUT="2")
    with log.open("w") as output:
        return _start(command, env, output)


def _start(command, env, output) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", command, "--interval", "0.1", "--no-startup-delay",
         "--max-backoff", "1"] if command == "task_worker" else
        [sys.executable, "manage.py", command, "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _wait(predicate, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _status(result) -> str:
    return DBTaskResult.objects.get(pk=result.id).status


def _proxy_url(proxy) -> str:
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ":"
    return f"postgresql://{config['USER']}{password}@127.0.0.1:{proxy.port}/{config['NAME']}"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_the_worker_reconnects_after_an_outage_and_reruns_the_interrupted_task(
    settings, tmp_path, db_proxy
):
    settings.TASKS = DATABASE_TASKS
    (tmp_path / "hold").touch()
    first = record_once.using(backend="default").enqueue(folder=str(tmp_path), key="k1")
    log = tmp_path / "worker.log"
    worker = _worker("task_worker", _proxy_url(db_proxy), log)
    try:
        _wait(lambda: (tmp_path / "started").exists())
        assert _status(first) == "RUNNING"

        db_proxy.down()
        (tmp_path / "hold").unlink()  # the task finishes, but its result cannot be recorded
        time.sleep(4)  # several reconnection attempts against the dead database
        assert worker.poll() is None, log.read_text()
        assert _status(first) == "RUNNING"

        db_proxy.up()
        # Re-queued by the worker itself as soon as the database answers, run again.
        _wait(lambda: _status(first) == "SUCCESSFUL", timeout=20)
        assert (tmp_path / "started").read_text().split() == ["k1", "k1"]
        assert (tmp_path / "effects").read_text().split() == ["k1"]  # its work done once

        second = record_once.using(backend="default").enqueue(folder=str(tmp_path), key="k2")
        _wait(lambda: _status(second) == "SUCCESSFUL", timeout=20)
        assert worker.poll() is None
        assert "database connection lost" in log.read_text()
    finally:
        _stop(worker)


def test_plain_db_worker_dies_on_the_same_outage(settings, tmp_path, db_proxy):
    """Why ``task_worker`` exists: django-tasks-db's own worker exits."""
    settings.TASKS = DATABASE_TASKS
    worker = _worker("db_worker", _proxy_url(db_proxy), tmp_path / "worker.log")
    try:
        time.sleep(2)
        assert worker.poll() is None
        db_proxy.down()
        _wait(lambda: worker.poll() is not None, timeout=20)
        assert worker.returncode != 0
    finally:
        _stop(worker)
