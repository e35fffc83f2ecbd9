"""``/seitendaten/``: the one request of a page view (all ad slots and the comment session).

Each part is the per-part endpoint's own code, so its counting, reader caps and
invalid-traffic handling are the per-slot endpoint's; these tests hold the batch
to the same numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ads import counting, views
from ads.models import DailyStat
from ads.services import ad_counts_flush
from tests.ads.conftest import ALL_CODES, HUMAN_UA
from tests.ads.factories import CampaignFactory, CreativeFactory, SlotFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 6, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))


class FirstRandom(random.Random):
    def random(self) -> float:
        return 0.0


@pytest.fixture
def fixed_draw(monkeypatch):
    monkeypatch.setattr(views, "clock", lambda: NOON)
    monkeypatch.setattr(views, "rng", FirstRandom())


def page_data(client, *slots: str, session: bool = False, agent: str = HUMAN_UA, **extra):
    params = [("slot", slot) for slot in slots]
    if session:
        params.append(("session", "1"))
    return client.get(
        reverse("page_data") + "?" + urlencode(params), HTTP_USER_AGENT=agent, **extra
    )


def kinds() -> dict[str, int]:
    totals: dict[str, int] = {}
    for key, value in counting.pending().items():
        totals[key.kind] = totals.get(key.kind, 0) + value
    return totals


def test_one_request_brings_every_slot_and_the_comment_session(client, fixed_draw):
    slots = [SlotFactory(code=code, position=position) for code, position, _ in ALL_CODES[:3]]
    creative = CreativeFactory()
    article = ArticleFactory(published=True)
    query = f"?p=article&s={article.section_id}"
    response = page_data(client, *(slot.code + query for slot in slots), session=True)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = response.json()
    assert [part["creative"] for part in data["slots"]] == [creative.pk] * 3
    assert all(part["html"] and part["view"] for part in data["slots"])
    assert data["session"]["csrfToken"] and data["session"]["ts"]
    assert data["session"]["authenticated"] is False
    assert "csrftoken" in response.cookies  # as the session endpoint sets it
    # One impression per slot, each under its own slot and the page's section.
    assert sorted((k.kind, k.slot_id, k.section_id, v) for k, v in counting.pending().items()) == [
        ("i", slot.pk, article.section_id, 1) for slot in slots
    ]


def test_only_the_parts_asked_for_are_answered(client, fixed_draw):
    SlotFactory(code="article_top")
    CreativeFactory()
    assert set(page_data(client, "article_top?p=article").json()) == {"slots"}
    assert set(page_data(client, session=True).json()) == {"session"}
    assert page_data(client).json() == {}
    assert kinds() == {"i": 1}


def test_a_reader_cap_counts_the_batched_and_the_single_slot_requests_alike(client, fixed_draw):
    """At most two per reader and day: the batch uses up the cap as single fills do."""
    SlotFactory(code="article_top")
    SlotFactory(code="article_bottom", position="below")
    capped = CreativeFactory(campaign=CampaignFactory(priority=30, max_per_reader_per_day=2))
    first = page_data(client, "article_top?p=article", "article_bottom?p=article").json()
    assert [part["creative"] for part in first["slots"]] == [capped.pk, capped.pk]
    # The cap is used up for this reader: the old per-slot endpoint knows it too.
    single = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA)
    assert single.json() == {"html": "", "collapse": True}
    again = page_data(client, "article_top?p=article").json()
    assert again["slots"] == [{"html": "", "collapse": True}]
    ad_counts_flush()
    assert sum(DailyStat.objects.values_list("impressions", flat=True)) == 2


def test_bots_and_data_centers_are_counted_apart_and_get_no_view_token(
    settings, client, fixed_draw
):
    settings.ADS_DATACENTER_NETWORKS = ("203.0.113.0/24",)
    SlotFactory(code="article_top")
    CreativeFactory()
    bot = page_data(client, "article_top?p=article", agent="Googlebot/2.1").json()
    center = page_data(client, "article_top?p=article", REMOTE_ADDR="203.0.113.4").json()
    assert "view" not in bot["slots"][0] and "view" not in center["slots"][0]
    prefetch = page_data(client, "article_top?p=article", HTTP_SEC_PURPOSE="prefetch").json()
    assert prefetch["slots"][0]["html"]
    assert kinds() == {"ii": 2}  # the prefetch is not counted at all


def test_malformed_slots_collapse_and_the_list_is_cut(client, fixed_draw):
    SlotFactory(code="article_top")
    CreativeFactory()
    data = page_data(client, "../etwas?p=article", "article_top?s=abc&t=x.y", "").json()
    assert data["slots"][0] == {"html": "", "collapse": True}
    assert data["slots"][1]["html"]  # a malformed section or tag is ignored, as per slot
    assert data["slots"][2] == {"html": "", "collapse": True}
    many = page_data(client, *(["article_top?p=article"] * 40)).json()
    assert len(many["slots"]) == 12


def test_the_comment_session_part_is_the_session_endpoints(
    client, django_capture_on_commit_callbacks
):
    from comments.models import ModerationMode, ModerationSettings
    from tests.comments.conftest import form_ts

    conf = ModerationSettings.get()
    conf.mode = ModerationMode.POST
    conf.save()
    article = ArticleFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/kommentare/{article.pk}/schreiben/",
            {
                "name": "Erika Muster",
                "email": "erika@example.org",
                "text": "Ein durchdachter Kommentar zum Artikel.",
                "ts": form_ts(),
                "website": "",
                "remember": "on",
            },
        )
    session = page_data(client, session=True).json()["session"]
    single = client.get("/kommentare/sitzung/").json()
    assert session["name"] == single["name"] == "Erika Muster"
    assert session["email"] == single["email"] == "erika@example.org"
    assert session["remembered"] and single["remembered"]
    assert set(session) == set(single)
    assert session["submissionKey"] != single["submissionKey"]  # a new one each time


def test_a_post_is_refused(client):
    assert client.post(reverse("page_data")).status_code == 405
