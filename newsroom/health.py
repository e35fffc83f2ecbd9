"""Health checks used by ``/healthz``: each returns ``None`` when fine or a short error."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import connections


def check_database(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return exc.__class__.__name__
    return None


def check_cache() -> str | None:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return exc.__class__.__name__
    if value != "ok":
        return "cache did not return the value it stored"
    return None
