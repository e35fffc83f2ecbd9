"""Per-reader caps and invalid traffic without anything stored on the reader's device.

The clock and the random source are injected (``ads.views.clock``/``rng``, or
``now=`` on the functions), so every case is exact.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from django.urls import reverse

from ads import counting, traffic, views
from ads.models import Campaign, DailyStat
from ads.rendering import click_path, make_token
from ads.services import ad_counts_flush
from ads.traffic import Verdict
from core.cache import counter_cache
from tests.ads.conftest import HUMAN_UA
from tests.ads.factories import CampaignFactory, CreativeFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=BERLIN)
OTHER_UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15"


class FirstRandom(random.Random):
    """Always the first candidate of the top priority (the draw is not under test here)."""

    def random(self) -> float:
        return 0.0


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fixed = Clock(NOON)
    monkeypatch.setattr(views, "clock", fixed)
    monkeypatch.setattr(views, "rng", FirstRandom())
    return fixed


def kinds() -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, value in counting.pending().items():
        totals[key.kind] = totals.get(key.kind, 0) + value
    return totals


# --- the pseudonymous daily reader key -------------------------------------------------


def test_the_reader_key_is_stable_for_a_day_and_unrelated_the_next():
    day = dt.date(2026, 12, 6)
    key = traffic.reader_key(address="198.51.100.7", user_agent=HUMAN_UA, day=day)
    assert key == traffic.reader_key(address="198.51.100.7", user_agent=HUMAN_UA, day=day)
    assert key != traffic.reader_key(
        address="198.51.100.7", user_agent=HUMAN_UA, day=day + dt.timedelta(days=1)
    )
    assert key != traffic.reader_key(address="198.51.100.8", user_agent=HUMAN_UA, day=day)
    assert key != traffic.reader_key(address="198.51.100.7", user_agent=OTHER_UA, day=day)
    assert "198" not in key and len(key) == 32


def test_the_reader_key_depends_on_the_secret_key(settings):
    day = dt.date(2026, 12, 6)
    before = traffic.reader_key(address="198.51.100.7", user_agent=HUMAN_UA, day=day)
    settings.SECRET_KEY = "another-" + "y" * 60
    assert before != traffic.reader_key(address="198.51.100.7", user_agent=HUMAN_UA, day=day)


# --- classification: bots, data-center ranges, prefetches ---------------------------------

CLASSIFY_CASES = [
    # user agent, address, extra headers, verdict
    (HUMAN_UA, "198.51.100.7", {}, Verdict.VALID),
    ("", "198.51.100.7", {}, Verdict.BOT),
    ("Googlebot/2.1 (+http://www.google.com/bot.html)", "198.51.100.7", {}, Verdict.BOT),
    ("Mozilla/5.0 HeadlessChrome/120", "198.51.100.7", {}, Verdict.BOT),
    ("python-requests/2.32", "198.51.100.7", {}, Verdict.BOT),
    (HUMAN_UA, "203.0.113.20", {}, Verdict.DATACENTER),
    (HUMAN_UA, "2001:db8:dc::5", {}, Verdict.DATACENTER),
    (HUMAN_UA, "2001:db8:1::5", {}, Verdict.VALID),
    (HUMAN_UA, "198.51.100.7", {"HTTP_SEC_PURPOSE": "prefetch"}, Verdict.PREFETCH),
    ("Googlebot/2.1", "203.0.113.20", {}, Verdict.BOT),  # a bot first, whatever its address
]


@pytest.mark.parametrize(("agent", "address", "headers", "verdict"), CLASSIFY_CASES)
def test_requests_are_classified(settings, agent, address, headers, verdict):
    settings.ADS_DATACENTER_NETWORKS = ("203.0.113.0/24", "2001:db8:dc::/48")
    request = RequestFactory().get("/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)
    assert traffic.classify(request, now=NOON).verdict == verdict


# --- replays: the same token from the same reader within the window ----------------------

REPLAY_CASES = [
    # (seconds after the first, token, reader address, verdict)
    [
        (0, "A", "r1", Verdict.VALID),
        (5, "A", "r1", Verdict.REPLAY),
        (599, "A", "r1", Verdict.REPLAY),
    ],
    [
        (0, "A", "r1", Verdict.VALID),
        (600, "A", "r1", Verdict.VALID),
        (601, "A", "r1", Verdict.REPLAY),
    ],
    [(0, "A", "r1", Verdict.VALID), (5, "A", "r2", Verdict.VALID), (6, "B", "r1", Verdict.VALID)],
    [(0, "A", "r1", Verdict.VALID), (1, "A", "r1", Verdict.REPLAY), (2, "A", "r2", Verdict.VALID)],
]


@pytest.mark.parametrize("steps", REPLAY_CASES)
def test_replays_within_the_window_are_invalid(settings, steps):
    settings.ADS_REPLAY_WINDOW_SECONDS = 600
    readers = {"r1": "198.51.100.7", "r2": "198.51.100.8"}
    for seconds, token, reader, verdict in steps:
        now = NOON + dt.timedelta(seconds=seconds)
        request = RequestFactory().get("/", HTTP_USER_AGENT=HUMAN_UA, REMOTE_ADDR=readers[reader])
        visit = traffic.check_replay(
            traffic.classify(request, now=now), kind="c", token=token, now=now
        )
        assert visit.verdict == verdict, (seconds, token, reader)


def test_fifty_replayed_clicks_count_once_and_49_times_apart(slot, client, clock):
    creative = CreativeFactory()
    path = click_path(creative_id=creative.pk, slot_id=slot.pk)
    for second in range(50):
        clock.now = NOON + dt.timedelta(seconds=second * 3)
        assert client.get(path, HTTP_USER_AGENT=HUMAN_UA).status_code == 302
    assert kinds() == {"c": 1, "ic": 49}
    ad_counts_flush()
    stat = DailyStat.objects.get(creative=creative, slot=slot)
    assert (stat.clicks, stat.invalid_clicks) == (1, 49)


def test_a_replayed_noscript_pixel_counts_once(slot, client, clock):
    creative = CreativeFactory()
    pixel = reverse("ads:pixel", args=[make_token(creative_id=creative.pk, slot_id=slot.pk)])
    for _ in range(5):
        client.get(pixel, HTTP_USER_AGENT=HUMAN_UA)
    clock.now = NOON + dt.timedelta(minutes=11)  # a new view after the window
    client.get(pixel, HTTP_USER_AGENT=HUMAN_UA)
    assert kinds() == {"i": 2, "ii": 4}


def test_data_center_clicks_are_counted_apart(settings, slot, client, clock):
    settings.ADS_DATACENTER_NETWORKS = ("203.0.113.0/24",)
    creative = CreativeFactory()
    path = click_path(creative_id=creative.pk, slot_id=slot.pk)
    client.get(path, HTTP_USER_AGENT=HUMAN_UA, REMOTE_ADDR="203.0.113.9")
    client.get(path, HTTP_USER_AGENT=HUMAN_UA, REMOTE_ADDR="198.51.100.7")
    assert kinds() == {"c": 1, "ic": 1}


# --- "at most N per reader and day" -------------------------------------------------------


def fill(client, *, agent: str = HUMAN_UA, address: str = "198.51.100.7") -> int | None:
    response = client.get(
        reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=agent, REMOTE_ADDR=address
    )
    return response.json().get("creative")


CAP_CASES = [
    # cap, the fills of one reader (offset in hours from noon), creatives they see
    (2, [0, 0, 0, 0], ["capped", "capped", "open", "open"]),
    (1, [0, 1, 2], ["capped", "open", "open"]),
    (3, [0, 0, 0, 0, 0], ["capped", "capped", "capped", "open", "open"]),
    (1, [0, 11.9, 12.1], ["capped", "open", "capped"]),  # 12:00+12.1 h is the next day
]


@pytest.mark.parametrize(("cap", "hours", "expected"), CAP_CASES)
def test_a_campaign_is_shown_at_most_n_times_per_reader_and_day(
    slot, client, clock, cap, hours, expected
):
    capped = CreativeFactory(
        campaign=CampaignFactory(priority=Campaign.Priority.SPONSORSHIP, max_per_reader_per_day=cap)
    )
    open_ = CreativeFactory()
    names = {capped.pk: "capped", open_.pk: "open"}
    seen = []
    for hour in hours:
        clock.now = NOON + dt.timedelta(hours=hour)
        seen.append(names[fill(client)])
    assert seen == expected


def test_other_readers_have_their_own_cap(slot, client, clock):
    capped = CreativeFactory(campaign=CampaignFactory(max_per_reader_per_day=1))
    assert fill(client, address="198.51.100.7") == capped.pk
    assert fill(client, address="198.51.100.7") is None  # nothing else booked: collapses
    assert fill(client, address="198.51.100.8") == capped.pk
    assert fill(client, address="198.51.100.7", agent=OTHER_UA) == capped.pk


def test_invalid_traffic_never_uses_up_a_cap_nor_is_billed(settings, slot, client, clock):
    settings.ADS_DATACENTER_NETWORKS = ("203.0.113.0/24",)
    capped = CreativeFactory(campaign=CampaignFactory(max_per_reader_per_day=1))
    for _ in range(3):
        assert fill(client, agent="Googlebot/2.1") == capped.pk
        assert fill(client, address="203.0.113.4") == capped.pk
    assert fill(client) == capped.pk
    assert kinds() == {"i": 1, "ii": 6}
    ad_counts_flush()
    stat = DailyStat.objects.get(creative=capped, slot=slot)
    assert (stat.impressions, stat.invalid_impressions) == (1, 6)


def test_nothing_is_stored_on_the_device_nor_in_the_database(slot, client, clock):
    creative = CreativeFactory(campaign=CampaignFactory(max_per_reader_per_day=3))
    responses = [
        client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA),
        client.get(click_path(creative_id=creative.pk, slot_id=slot.pk), HTTP_USER_AGENT=HUMAN_UA),
    ]
    for response in responses:
        assert not response.cookies
        assert "Set-Cookie" not in response
    # The cap lives in the counters cache under the day's pseudonym, until the day ends.
    request = RequestFactory().get("/", HTTP_USER_AGENT=HUMAN_UA)
    visit = traffic.classify(request, now=NOON)
    key = f"ads:cap:2026-12-06:{creative.campaign_id}:{visit.reader}"
    assert counter_cache().get(key) == 1
    assert "127.0.0.1" not in key
    assert not DailyStat.objects.exists()  # counts reach the database only by the flush


@pytest.mark.parametrize(
    ("local", "seconds"),
    [
        (dt.datetime(2026, 12, 6, 23, 59, 0, tzinfo=BERLIN), 60 + 3600),
        (dt.datetime(2026, 12, 6, 0, 0, 0, tzinfo=BERLIN), 86400 + 3600),
        (dt.datetime(2026, 12, 6, 12, 0, 0, tzinfo=BERLIN), 43200 + 3600),
    ],
)
def test_cap_counts_are_kept_only_until_the_day_ends(local, seconds):
    assert traffic._seconds_left_today(local) == seconds


# --- viewability beacons ------------------------------------------------------------------


def served_view_token(client) -> str:
    response = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA)
    return response.json()["view"]


def beacon(client, *tokens: str, agent: str = HUMAN_UA):
    return client.post(
        reverse("ads:viewed"),
        data="\n".join(tokens),
        content_type="text/plain",
        HTTP_USER_AGENT=agent,
    )


BEACON_CASES = [
    # (what is sent, seconds after serving, user agent, viewable impressions counted)
    ("token", 2, HUMAN_UA, 1),
    ("token token", 2, HUMAN_UA, 1),  # the same view twice in one batch
    ("tampered", 2, HUMAN_UA, 0),
    ("token", 3601, HUMAN_UA, 0),  # a view token older than an hour
    ("token", 2, "Googlebot/2.1", 0),
    ("garbage", 2, HUMAN_UA, 0),
]


@pytest.mark.parametrize(("sent", "seconds", "agent", "viewable"), BEACON_CASES)
def test_a_viewability_beacon_counts_each_served_impression_at_most_once(
    slot, client, clock, sent, seconds, agent, viewable
):
    CreativeFactory()
    token = served_view_token(client)
    clock.now = NOON + dt.timedelta(seconds=seconds)
    words = {"token": token, "tampered": token[:-3] + "abc", "garbage": "x" * 30}
    response = beacon(client, *(words[word] for word in sent.split()), agent=agent)
    assert response.status_code == 204
    assert not response.cookies
    assert kinds().get("v", 0) == viewable
    assert kinds()["i"] == 1  # served is counted apart from viewed


def test_one_beacon_carries_the_views_of_several_slots(all_slots, client, clock):
    CreativeFactory()
    tokens = [served_view_token(client) for _ in range(3)]
    assert len(set(tokens)) == 3  # every view has its own nonce
    beacon(client, *tokens)
    beacon(client, *tokens)  # sent again (a retry, or a replay): nothing more
    assert kinds() == {"i": 3, "v": 3}
    ad_counts_flush()
    stat = DailyStat.objects.get()
    assert (stat.impressions, stat.viewable_impressions) == (3, 3)


def test_invalid_traffic_gets_no_view_token(slot, client, clock):
    CreativeFactory()
    response = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT="curl/8")
    assert "view" not in response.json()
    assert client.get(reverse("ads:viewed")).status_code == 405
