"""Progress lines for long management commands (build_renditions, seed_bench, ...)."""

from __future__ import annotations

import time
from collections.abc import Callable


class Progress:
    """Progress of a long command: ``label: 120/3400 (3 %), noch etwa 2 min`` at each new
    tenth of the way and at least every ``every`` seconds, and the last item always."""

    def __init__(
        self, *, total: int, write: Callable[[str], None], label: str, every: float = 10.0
    ) -> None:
        self.total, self.write, self.label, self.every = total, write, label, every
        self.done = 0
        self.started = self.last_time = time.monotonic()
        self.last_tenth = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        tenth = self.done * 10 // self.total if self.total else 10
        if tenth > self.last_tenth or now - self.last_time >= self.every or self.done >= self.total:
            self.last_tenth, self.last_time = tenth, now
            self.write(self._line(now))

    def _line(self, now: float) -> str:
        percent = self.done * 100 // self.total if self.total else 100
        line = f"{self.label}: {self.done}/{self.total} ({percent} %)"
        elapsed = now - self.started
        if 0 < self.done < self.total and elapsed > 0:
            left = elapsed / self.done * (self.total - self.done)
            line += (
                f", noch etwa {left / 60:.0f} min" if left >= 90 else f", noch etwa {left:.0f} s"
            )
        return line
