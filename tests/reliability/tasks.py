"""A task for the worker-crash test: slow on its first run, records its effect once."""

from __future__ import annotations

import time
from pathlib import Path

from django.tasks import task


@task()
def record_once(*, folder: str, key: str) -> str:
    """Append ``key`` to ``folder``/effects unless it is already there (idempotent).

    While ``folder``/hold exists the task waits (so a test can kill its worker
    mid-task); ``folder``/started lists every run that began.
    """
    base = Path(folder)
    with (base / "started").open("a") as fh:
        fh.write(f"{key}\n")
    while (base / "hold").exists():
        time.sleep(0.05)
    effects = base / "effects"
    done = effects.read_text().split() if effects.exists() else []
    if key not in done:
        with effects.open("a") as fh:
            fh.write(f"{key}\n")
    return key
