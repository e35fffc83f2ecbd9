"""Fixed-window rate limits in the shared cache (Redis in production)."""

from __future__ import annotations

import math
import time

from django.core.cache import cache


def hit(*, key: str, limit: int, window: int, now: float | None = None) -> int | None:
    """Count one attempt; seconds to wait when ``limit`` is exceeded, else None.

    Side effect: increments a cache counter that expires with its window.
    """
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    bucket = int(now // window)
    cache_key = f"comments:rl:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return max(1, math.ceil((bucket + 1) * window - now))
    return None
