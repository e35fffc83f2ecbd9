"""Who has an article's change form open: a heartbeat in the counters cache.

Each open form calls ``presence_beat`` every ``ADMIN_PRESENCE_SECONDS``; a person
counts as present for three heartbeats. One cache entry per article holds
``{user id: (name, last beat)}``; no database writes, nothing a reader sees, so no
audit entry and no signal. The counters alias is used because an evicting page
cache could drop the entry. Not real-time co-editing: saving keeps its conflict check.
"""

from __future__ import annotations

import time

from django.conf import settings

from articles.services.base import User
from core.cache import counter_cache

KEY = "desk:presence:article:{}"


def _window() -> float:
    # 0 switches the heartbeat off; a page's own beat (on opening it) still counts.
    return 3 * float(getattr(settings, "ADMIN_PRESENCE_SECONDS", 20) or 20)


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()  # type: ignore[union-attr]


def presence_beat(*, user: User, article_id: int, now: float | None = None) -> list[str]:
    """Record that ``user`` has the article open; the names of the others present.

    Read-modify-write of one small entry: two beats at the same instant may drop one
    of them, which the next beat (seconds later) repairs.
    """
    if not user.is_authenticated:
        return []
    now = time.time() if now is None else now
    cache = counter_cache()
    key = KEY.format(article_id)
    window = _window()
    present: dict[int, tuple[str, float]] = cache.get(key) or {}
    present = {uid: entry for uid, entry in present.items() if now - entry[1] < window}
    present[user.pk] = (_name(user), now)
    cache.set(key, present, timeout=int(window) + 5)
    return sorted(name for uid, (name, _at) in present.items() if uid != user.pk)
