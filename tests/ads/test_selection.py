"""Which campaigns may run where, and which creative a view gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from ads.models import Campaign, DailyStat, PageType, Slot
from ads.selectors import (
    Candidate,
    PageContext,
    choose,
    compute_eligible_set,
    eligible_set,
)
from tests.ads.conftest import FixedRandom
from tests.ads.factories import CampaignFactory, CreativeFactory, SlotFactory
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

ARTICLE = PageContext(PageType.ARTICLE)


def eligible_ids(code="article_top", page=ARTICLE):
    return {c.creative_id for c in compute_eligible_set(code, page).candidates}


def test_only_campaigns_running_now_are_eligible(slot):
    now = timezone.now()
    running = CreativeFactory(campaign=CampaignFactory(starts_at=now - timedelta(days=1)))
    CreativeFactory(campaign=CampaignFactory(starts_at=now + timedelta(hours=1)))
    CreativeFactory(
        campaign=CampaignFactory(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1))
    )
    CreativeFactory(campaign=CampaignFactory(is_active=False))
    CreativeFactory(campaign=running.campaign, is_active=False)
    assert eligible_ids() == {running.pk}


def test_a_campaign_ends_at_its_end_time(slot):
    now = timezone.now()
    creative = CreativeFactory(campaign=CampaignFactory(ends_at=now + timedelta(hours=1)))
    assert compute_eligible_set("article_top", ARTICLE, at=now).candidates
    later = now + timedelta(hours=2)
    assert not compute_eligible_set("article_top", ARTICLE, at=later).candidates
    assert creative.pk


def test_page_type_targeting(slot):
    home_only = CreativeFactory(campaign=CampaignFactory(target_page_types=[PageType.HOME]))
    everywhere = CreativeFactory()
    assert eligible_ids() == {everywhere.pk}
    assert eligible_ids(page=PageContext(PageType.HOME)) == {home_only.pk, everywhere.pk}


def test_a_slot_only_appears_on_its_page_types(db):
    SlotFactory(code="home_top", page_types=[PageType.HOME])
    CreativeFactory()
    assert eligible_ids("home_top", PageContext(PageType.HOME))
    assert compute_eligible_set("home_top", ARTICLE).slot is None


def test_section_targeting(slot):
    politik, sport = SectionFactory(slug="politik"), SectionFactory(slug="sport")
    targeted = CreativeFactory(campaign=CampaignFactory(target_sections=[politik]))
    untargeted = CreativeFactory()
    assert eligible_ids(page=PageContext(PageType.ARTICLE, politik.pk)) == {
        targeted.pk,
        untargeted.pk,
    }
    assert eligible_ids(page=PageContext(PageType.ARTICLE, sport.pk)) == {untargeted.pk}
    assert eligible_ids(page=PageContext(PageType.HOME)) == {untargeted.pk}


def test_tag_targeting_needs_one_matching_tag(slot):
    energy, rail = Tag.objects.create(name="Energie"), Tag.objects.create(name="Bahn")
    other = Tag.objects.create(name="Fußball")
    targeted = CreativeFactory(campaign=CampaignFactory(target_tags=[energy, rail]))
    assert eligible_ids(page=PageContext(PageType.ARTICLE, None, (other.pk, rail.pk))) == {
        targeted.pk
    }
    assert eligible_ids(page=PageContext(PageType.ARTICLE, None, (other.pk,))) == set()
    assert eligible_ids(page=ARTICLE) == set()


def test_slot_targeting(all_slots):
    creative = CreativeFactory(campaign=CampaignFactory(slots=[all_slots["article_bottom"]]))
    assert eligible_ids("article_bottom") == {creative.pk}
    assert eligible_ids("article_top") == set()


@pytest.mark.parametrize(
    ("cap", "stats", "eligible"),
    [
        ({"max_impressions": 100}, {"impressions": 99}, True),
        ({"max_impressions": 100}, {"impressions": 100}, False),
        ({"max_clicks": 5}, {"clicks": 5}, False),
        ({"max_clicks": 5}, {"clicks": 4}, True),
        ({"max_impressions_per_day": 10}, {"impressions": 10}, False),
    ],
)
def test_caps_stop_a_campaign(slot, cap, stats, eligible):
    creative = CreativeFactory(campaign=CampaignFactory(**cap))
    DailyStat.objects.create(creative=creative, slot=slot, day=timezone.localdate(), **stats)
    assert (eligible_ids() == {creative.pk}) is eligible


def test_daily_cap_counts_only_today(slot):
    creative = CreativeFactory(campaign=CampaignFactory(max_impressions_per_day=10))
    yesterday = timezone.localdate() - timedelta(days=1)
    DailyStat.objects.create(creative=creative, slot=slot, day=yesterday, impressions=50)
    assert eligible_ids() == {creative.pk}


def test_total_caps_sum_over_days_and_slots(all_slots):
    creative = CreativeFactory(campaign=CampaignFactory(max_impressions=100))
    today = timezone.localdate()
    DailyStat.objects.create(
        creative=creative, slot=all_slots["article_top"], day=today, impressions=60
    )
    DailyStat.objects.create(
        creative=creative,
        slot=all_slots["article_bottom"],
        day=today - timedelta(days=3),
        impressions=40,
    )
    assert eligible_ids() == set()


def test_collapsing_slots_never_show_house_ads(db):
    SlotFactory(code="article_top", fallback=Slot.Fallback.COLLAPSE)
    CreativeFactory(campaign=CampaignFactory(priority=Campaign.Priority.HOUSE))
    assert eligible_ids() == set()


def test_house_slots_show_house_ads_when_nothing_is_booked(slot):
    house = CreativeFactory(campaign=CampaignFactory(priority=Campaign.Priority.HOUSE))
    assert eligible_ids() == {house.pk}


def candidate(creative_id, campaign_id, priority, weight):
    return Candidate(creative_id, campaign_id, priority, weight, "text", "")


def test_highest_priority_wins_whatever_the_weights():
    pool = [
        candidate(1, 1, Campaign.Priority.STANDARD, 1000),
        candidate(2, 2, Campaign.Priority.SPONSORSHIP, 1),
        candidate(3, 3, Campaign.Priority.HOUSE, 1000),
    ]
    for value in (0.0, 0.5, 0.999):
        assert choose(pool, rng=FixedRandom(value)).creative_id == 2


def test_weighted_random_among_equal_priority():
    pool = [candidate(1, 1, 20, 30), candidate(2, 2, 20, 10)]  # 75 % / 25 %
    assert choose(pool, rng=FixedRandom(0.0)).creative_id == 1
    assert choose(pool, rng=FixedRandom(0.74)).creative_id == 1
    assert choose(pool, rng=FixedRandom(0.76)).creative_id == 2
    assert choose(pool, rng=FixedRandom(0.9999)).creative_id == 2


def test_a_campaigns_weight_is_shared_by_its_creatives():
    # Campaign 1 (weight 10) has two creatives, campaign 2 (weight 10) one:
    # 25 % / 25 % / 50 %.
    pool = [candidate(1, 1, 20, 10), candidate(2, 1, 20, 10), candidate(3, 2, 20, 10)]
    assert choose(pool, rng=FixedRandom(0.2)).creative_id == 1
    assert choose(pool, rng=FixedRandom(0.3)).creative_id == 2
    assert choose(pool, rng=FixedRandom(0.6)).creative_id == 3


def test_weighting_over_many_draws_follows_the_weights():
    import random

    pool = [candidate(1, 1, 20, 3), candidate(2, 2, 20, 1)]
    rng = random.Random(1234)
    picks = [choose(pool, rng=rng).creative_id for _ in range(4000)]
    share = picks.count(1) / len(picks)
    assert 0.72 < share < 0.78


def test_nothing_to_choose_gives_none():
    assert choose([], rng=FixedRandom()) is None


@pytest.mark.usefixtures("cache_backend")
def test_eligible_set_is_cached_and_invalidated_when_ads_change(
    slot, django_assert_num_queries, django_capture_on_commit_callbacks
):
    creative = CreativeFactory()
    with django_assert_num_queries(2):
        assert [c.creative_id for c in eligible_set("article_top", ARTICLE).candidates] == [
            creative.pk
        ]
    with django_assert_num_queries(0):
        eligible_set("article_top", ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        creative.campaign.is_active = False
        creative.campaign.save()
    assert eligible_set("article_top", ARTICLE).candidates == ()


@pytest.mark.usefixtures("cache_backend")
def test_changing_targeting_relations_invalidates_the_cache(
    all_slots, django_capture_on_commit_callbacks
):
    creative = CreativeFactory()
    assert eligible_set("article_top", ARTICLE).candidates
    with django_capture_on_commit_callbacks(execute=True):
        creative.campaign.slots.add(all_slots["article_bottom"])
    assert eligible_set("article_top", ARTICLE).candidates == ()


@pytest.mark.usefixtures("cache_backend")
def test_a_campaign_at_its_cap_leaves_the_cached_eligible_set_after_the_next_count_flush(
    slot, django_capture_on_commit_callbacks
):
    from ads.signals import ad_stats_flushed

    def cached_ids() -> set[int]:
        return {c.creative_id for c in eligible_set("article_top", ARTICLE).candidates}

    creative = CreativeFactory(campaign=CampaignFactory(max_impressions=100))
    assert cached_ids() == {creative.pk}
    assert cached_ids() == {creative.pk}  # cached (with Redis: in process memory too)
    DailyStat.objects.create(
        creative=creative, slot=slot, day=timezone.localdate(), impressions=100
    )
    with django_capture_on_commit_callbacks(execute=True):
        ad_stats_flushed.send(sender=None)
    assert cached_ids() == set()


def test_page_context_round_trips_through_the_query_string():
    page = PageContext(PageType.ARTICLE, 7, (3, 1, 3))
    from django.http import QueryDict

    assert PageContext.from_query(QueryDict(page.query())) == page
    assert PageContext.from_query(QueryDict("p=evil&s=x&t=1.a.2")) == PageContext(
        PageType.HOME, None, (1, 2)
    )


def test_changing_ads_makes_cached_reader_pages_stale(slot, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from core.pagecache import TAG_KEY

    before = cache.get(TAG_KEY.format("site"))
    with django_capture_on_commit_callbacks(execute=True):
        CreativeFactory()
    assert cache.get(TAG_KEY.format("site")) != before
