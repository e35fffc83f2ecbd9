"""Counts that must not be evicted live in their own cache ("counters", REDIS_COUNTERS_URL).

The page cache may evict under memory pressure (allkeys-lru); ad counts and rate-limit
counters must not. With the two roles apart, emptying the page cache loses no count.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.core.cache import caches
from django.test import override_settings

from ads import counting
from core import ratelimit

ROOT = Path(__file__).resolve().parents[2]

TWO_STORES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
    "counters": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ctr"},
}


def test_ad_counts_survive_when_the_page_cache_is_emptied():
    with override_settings(CACHES=TWO_STORES):
        counting.count_impression(creative_id=7, slot_id=3)
        counting.count_impression(creative_id=7, slot_id=3)
        caches["default"].clear()  # what an evicting page cache may do at any time
        pending = counting.pending()
        caches["counters"].clear()
    assert sum(pending.values()) == 2


def test_rate_limits_count_in_the_counters_cache():
    with override_settings(CACHES=TWO_STORES):
        for _ in range(3):
            ratelimit.hit("test-scope", "203.0.113.9", limit=3, window=60)
        caches["default"].clear()
        decision = ratelimit.hit("test-scope", "203.0.113.9", limit=3, window=60)
        caches["counters"].clear()
    assert decision.count == 4
    assert not decision.allowed


def test_redis_counters_url_gives_the_counters_their_own_server():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6399/0",
        REDIS_COUNTERS_URL="redis://127.0.0.1:6399/1",
    )
    code = "from django.conf import settings as s; print(s.CACHES['default']['LOCATION'], s.CACHES['counters']['LOCATION'])"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == ["redis://127.0.0.1:6399/0", "redis://127.0.0.1:6399/1"]
