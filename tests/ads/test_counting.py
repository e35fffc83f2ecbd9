"""Impressions and clicks are buffered in the cache and flushed into daily stats exactly once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ads import counting
from ads.models import DailyStat
from ads.services import ad_counts_flush
from ads.tasks import flush_ad_counts
from tests.ads.conftest import HUMAN_UA
from tests.ads.factories import CreativeFactory

pytestmark = pytest.mark.django_db


def stat(creative, slot):
    row = DailyStat.objects.get(creative=creative, slot=slot, day=timezone.localdate())
    return row.impressions, row.clicks


def test_counting_writes_nothing_to_the_database(slot):
    creative = CreativeFactory()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    assert len(queries) == 0
    assert not DailyStat.objects.exists()


def test_flush_moves_counts_into_daily_stats_exactly_once(slot):
    creative = CreativeFactory()
    for _ in range(3):
        counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    counting.count_click(creative_id=creative.pk, slot_id=slot.pk)
    result = ad_counts_flush()
    assert (result.impressions, result.clicks, result.rows) == (3, 1, 1)
    assert stat(creative, slot) == (3, 1)
    assert ad_counts_flush().impressions == 0  # flushing twice never double counts
    assert stat(creative, slot) == (3, 1)


def test_later_counts_add_to_the_same_row(slot):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    ad_counts_flush()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    ad_counts_flush()
    ad_counts_flush()
    assert stat(creative, slot) == (3, 0)
    assert DailyStat.objects.count() == 1


def test_counts_arriving_during_a_flush_are_kept_for_the_next(slot, monkeypatch):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    raced = []

    class RacingCache:
        """The real cache, but a reader arrives between the flush's read and decrement."""

        def __getattr__(self, name):
            return getattr(cache, name)

        def decr(self, key, delta=1):
            if not raced:
                raced.append(True)
                counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
            return cache.decr(key, delta)

    racing = RacingCache()
    monkeypatch.setattr(counting, "counter_cache", lambda: racing)
    assert ad_counts_flush().impressions == 1
    assert raced
    monkeypatch.undo()
    assert ad_counts_flush().impressions == 1
    assert ad_counts_flush().impressions == 0
    assert stat(creative, slot) == (2, 0)


def test_a_failed_database_write_puts_the_batch_back(slot, monkeypatch):
    from ads import services

    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)

    def broken(taken):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_write", broken)
    with pytest.raises(RuntimeError):
        ad_counts_flush()
    monkeypatch.undo()
    assert ad_counts_flush().impressions == 1
    assert stat(creative, slot) == (1, 0)


def test_only_one_flush_runs_at_a_time(slot):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    assert counting.acquire_lock()
    try:
        assert ad_counts_flush().skipped
    finally:
        counting.release_lock()
    assert ad_counts_flush().impressions == 1


def test_an_evicted_counter_registers_again(slot):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    ad_counts_flush()
    cache.delete(str(counting.CounterKey("i", creative.pk, slot.pk, timezone.localdate())))
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    ad_counts_flush()
    assert stat(creative, slot) == (2, 0)


def test_counts_of_deleted_creatives_are_dropped_not_crashing(slot):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    creative.delete()
    assert ad_counts_flush().rows == 0
    assert not DailyStat.objects.exists()


def test_management_command_flushes_and_dry_run_only_reports(slot):
    creative = CreativeFactory()
    counting.count_impression(creative_id=creative.pk, slot_id=slot.pk)
    out = StringIO()
    call_command("flush_ad_counts", "--dry-run", stdout=out)
    assert "1 impressions" in out.getvalue()
    assert not DailyStat.objects.exists()
    out = StringIO()
    call_command("flush_ad_counts", stdout=out)
    assert "Flushed: 1 impressions, 0 clicks into 1 rows" in out.getvalue()
    assert stat(creative, slot) == (1, 0)


def test_flush_task_runs_in_the_background(slot):
    creative = CreativeFactory()
    counting.count_click(creative_id=creative.pk, slot_id=slot.pk)
    result = flush_ad_counts.enqueue()
    assert result.return_value == {"rows": 1, "impressions": 0, "clicks": 1}


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/120",
        "facebookexternalhit/1.1",
    ],
)
def test_bots_are_counted_apart_as_invalid_traffic(slot, client, agent):
    creative = CreativeFactory()
    client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=agent)
    from ads.rendering import click_path

    client.get(click_path(creative_id=creative.pk, slot_id=slot.pk), HTTP_USER_AGENT=agent)
    assert {key.kind: value for key, value in counting.pending().items()} == {"ii": 1, "ic": 1}
    ad_counts_flush()
    assert stat(creative, slot) == (0, 0)


def test_prefetches_are_not_counted(slot, client):
    CreativeFactory()
    client.get(
        reverse("ads:slot", args=["article_top"]),
        HTTP_USER_AGENT=HUMAN_UA,
        HTTP_SEC_PURPOSE="prefetch",
    )
    assert counting.pending() == {}


def test_readers_are_counted_through_the_endpoints(slot, client):
    creative = CreativeFactory()
    client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA)
    from ads.rendering import click_path

    client.get(click_path(creative_id=creative.pk, slot_id=slot.pk), HTTP_USER_AGENT=HUMAN_UA)
    ad_counts_flush()
    assert stat(creative, slot) == (1, 1)


def test_readers_without_javascript_are_counted_by_the_noscript_pixel(slot, client):
    import re

    from django.template import Context, Template
    from django.test import RequestFactory

    creative = CreativeFactory()
    html = Template('{% load ads %}{% ad_slot "article_top" %}').render(
        Context({"request": RequestFactory().get("/")})
    )
    pixel = re.search(r'<noscript>.*<img class="ad-slot__pixel" src="([^"]+)"', html, re.S).group(1)
    response = client.get(pixel, HTTP_USER_AGENT=HUMAN_UA)
    assert response["Content-Type"] == "image/gif"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    client.get(pixel, HTTP_USER_AGENT="Googlebot/2.1")
    assert client.get(pixel[:-3] + "xx/").status_code == 400
    ad_counts_flush()
    assert stat(creative, slot) == (1, 0)
