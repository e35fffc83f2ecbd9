"""The comments app's rate limits, counted by the shared limiter (``core.ratelimit``)."""

from __future__ import annotations

from core import ratelimit as shared


def hit(*, key: str, limit: int, window: int) -> int | None:
    """Count one attempt; seconds to wait when ``limit`` is exceeded, else None.

    ``key`` is "<scope>:<value>", e.g. "c-ip:203.0.113.7". Side effect: a counter
    in the shared cache (per-process fallback when the cache is down).
    """
    if limit <= 0:
        return None
    scope, _sep, value = key.partition(":")
    decision = shared.hit(f"comments-{scope}", value, limit=limit, window=window)
    return None if decision.allowed else decision.retry_after
