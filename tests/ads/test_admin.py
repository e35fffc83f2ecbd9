"""The ad manager works in the admin: ads, reports with chart and CSV; others do not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ads.models import DailyStat
from tests.ads.factories import CampaignFactory, CreativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats(slot):
    creative = CreativeFactory()
    today = timezone.localdate()
    DailyStat.objects.create(creative=creative, slot=slot, day=today, impressions=200, clicks=3)
    DailyStat.objects.create(
        creative=creative, slot=slot, day=today - timedelta(days=1), impressions=100, clicks=1
    )
    return creative


ADMIN_PAGES = [
    "admin:ads_slot_changelist",
    "admin:ads_advertiser_changelist",
    "admin:ads_campaign_changelist",
    "admin:ads_creative_changelist",
    "admin:ads_campaign_add",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_ad_manager_manages_ads(client, ad_manager, stats, name):
    client.force_login(ad_manager)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_a_journalist_cannot_touch_ads(client, journalist, stats, name):
    client.force_login(journalist)
    assert client.get(reverse(name)).status_code == 403


def test_the_ad_manager_sees_nothing_else(ad_manager):
    assert {p.split(".")[0] for p in ad_manager.get_all_permissions()} == {"ads"}


def test_editors_see_which_slots_exist_but_not_campaigns(client, editor, stats):
    client.force_login(editor)
    assert client.get(reverse("admin:ads_slot_changelist")).status_code == 200
    assert client.get(reverse("admin:ads_slot_add")).status_code == 403
    assert client.get(reverse("admin:ads_campaign_changelist")).status_code == 403


@pytest.mark.parametrize("model", ["campaign", "creative", "slot"])
def test_reports_show_impressions_clicks_ctr_and_a_chart(client, ad_manager, stats, slot, model):
    obj = {"campaign": stats.campaign, "creative": stats, "slot": slot}[model]
    client.force_login(ad_manager)
    response = client.get(reverse(f"admin:ads_{model}_report", args=[obj.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and "<rect" in html
    assert "300 Einblendungen, 4 Klicks, CTR 1,33 %" in html
    assert "1,50 %" in html  # today's CTR: 3 / 200


def test_report_csv_export(client, ad_manager, stats):
    client.force_login(ad_manager)
    today = timezone.localdate()
    url = reverse("admin:ads_campaign_report_csv", args=[stats.campaign.pk])
    response = client.get(
        url, {"von": (today - timedelta(days=1)).isoformat(), "bis": today.isoformat()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode().strip().splitlines()
    name, slot_name = stats.name, stats.stats.first().slot.name
    assert lines == [
        "Tag;Werbeplatz;Ressort;Werbemittel;Einblendungen;Sichtbare Einblendungen;Klicks;"
        "CTR (%);Ungültige Einblendungen;Ungültige Klicks",
        f"{(today - timedelta(days=1)).isoformat()};{slot_name};ohne Ressort;{name};100;0;1;1,00;0;0",
        f"{today.isoformat()};{slot_name};ohne Ressort;{name};200;0;3;1,50;0;0",
        "Summe;;;;300;0;4;1,33;0;0",
    ]


def test_reports_of_other_campaigns_do_not_mix(client, ad_manager, stats, slot):
    other = CreativeFactory(campaign=CampaignFactory())
    client.force_login(ad_manager)
    csv = client.get(reverse("admin:ads_campaign_report_csv", args=[other.campaign.pk])).content
    assert csv.decode().strip().endswith("Summe;;;;0;0;0;0,00;0;0")


def test_a_journalist_cannot_see_reports(client, journalist, stats):
    client.force_login(journalist)
    for name in ("admin:ads_campaign_report", "admin:ads_campaign_report_csv"):
        assert client.get(reverse(name, args=[stats.campaign.pk])).status_code == 403


def test_editors_cannot_see_reports_of_slots(client, editor, stats, slot):
    client.force_login(editor)
    assert client.get(reverse("admin:ads_slot_report", args=[slot.pk])).status_code == 403


def test_campaign_form_shows_creatives_inline_and_saves(client, ad_manager, slot):
    client.force_login(ad_manager)
    campaign = CampaignFactory()
    CreativeFactory(campaign=campaign, name="Inline-Werbemittel")
    response = client.get(reverse("admin:ads_campaign_change", args=[campaign.pk]))
    assert "Inline-Werbemittel" in response.content.decode()
    assert 'type="checkbox" name="target_page_types"' in response.content.decode()
