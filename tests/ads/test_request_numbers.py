"""Ad endpoints read numbers from the query string calmly: junk is ignored or a 404, never a 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.ads.conftest import HUMAN_UA
from tests.ads.factories import CampaignFactory
from tests.newsroom.test_request_numbers import AWKWARD_NUMBERS, HUGE_NUMBERS

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [*AWKWARD_NUMBERS, *HUGE_NUMBERS]


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize("parameter", ["s", "t"])
def test_slot_fill_ignores_a_malformed_section_or_tag(client, slot, parameter, value):
    response = client.get(
        reverse("ads:slot", args=[slot.code]), {"p": "article", parameter: value},
        HTTP_USER_AGENT=HUMAN_UA,
    )  # fmt: skip
    assert response.status_code == 200
    assert "html" in response.json()


@pytest.mark.parametrize("value", [v for v in BAD_NUMBERS if v])  # "" is another URL
def test_campaign_report_with_a_malformed_id_is_404(client, ad_manager, value):
    CampaignFactory()
    client.force_login(ad_manager)
    url = reverse("admin:ads_campaign_report", args=["1"]).replace("/1/", f"/{quote(value)}/")
    response = client.get(url)
    assert response.status_code == 404, response.status_code
