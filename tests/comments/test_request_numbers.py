"""Comment pages read ids and page numbers calmly: junk is ignored, never a 500."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from comments import tokens
from comments.models import Subscription
from tests.newsroom.test_request_numbers import AWKWARD_NUMBERS, HUGE_NUMBERS

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [*AWKWARD_NUMBERS, *HUGE_NUMBERS]


@pytest.fixture
def subscription(article):
    return Subscription.objects.create(
        article=article, email="erika@example.org", kind="all", confirmed_at=timezone.now()
    )


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_removing_a_malformed_subscription_says_so_and_keeps_the_others(
    client, subscription, value
):
    path = f"/kommentare/meine-daten/{tokens.manage_token(email='erika@example.org')}/"
    response = client.post(path, {"action": "remove_subscription", "subscription": value})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Dieses Abonnement gibt es nicht oder es ist beendet."
    ]
    subscription.refresh_from_db()
    assert subscription.is_active


def test_removing_a_subscription_by_its_id_ends_it(client, subscription):
    path = f"/kommentare/meine-daten/{tokens.manage_token(email='erika@example.org')}/"
    response = client.post(
        path, {"action": "remove_subscription", "subscription": str(subscription.pk)}
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Das Abonnement ist beendet."]
    subscription.refresh_from_db()
    assert not subscription.is_active


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_comment_pages_ignore_a_malformed_page_or_reply_number(client, article, conf, value):
    assert client.get(f"/kommentare/{article.pk}/", {"seite": value}).status_code == 200
    assert client.get(f"/kommentare/{article.pk}/liste/", {"seite": value}).status_code == 200
    for parameter in ("antwort", "feedback"):
        response = client.get(f"/kommentare/{article.pk}/schreiben/", {parameter: value})
        assert response.status_code == 200
