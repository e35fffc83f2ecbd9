"""Clicks go through a signed redirect whose target comes from the creative only."""

from __future__ import annotations

import pytest
from django.core import signing
from django.urls import reverse

from ads import counting
from ads.rendering import TOKEN_SALT, click_path, make_token
from tests.ads.conftest import HUMAN_UA
from tests.ads.factories import CreativeFactory

pytestmark = pytest.mark.django_db


def test_click_redirects_to_the_creatives_url_and_counts(slot, client):
    creative = CreativeFactory(click_url="https://baeckerei.example/angebot?utm=1")
    response = client.get(
        click_path(creative_id=creative.pk, slot_id=slot.pk), HTTP_USER_AGENT=HUMAN_UA
    )
    assert response.status_code == 302
    assert response["Location"] == "https://baeckerei.example/angebot?utm=1"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    [(key, value)] = counting.pending().items()
    assert (key.kind, key.creative_id, key.slot_id, value) == ("c", creative.pk, slot.pk, 1)


def test_a_tampered_token_is_rejected(slot, client):
    creative = CreativeFactory()
    token = make_token(creative_id=creative.pk, slot_id=slot.pk)
    value, signature = token.rsplit(":", 1)
    forged = signing.Signer(salt=TOKEN_SALT).sign_object({"c": creative.pk + 1, "s": slot.pk})
    forged_value = forged.rsplit(":", 1)[0]
    for bad in (token[:-2] + "xx", f"{forged_value}:{signature}", "abc", "x" * 40):
        response = client.get(reverse("ads:click", args=[bad]), HTTP_USER_AGENT=HUMAN_UA)
        assert response.status_code == 400, bad
    assert counting.pending() == {}


def test_a_token_signed_for_something_else_is_rejected(slot, client):
    creative = CreativeFactory()
    other = signing.Signer(salt="comments.unsubscribe").sign_object(
        {"c": creative.pk, "s": slot.pk}
    )
    assert client.get(reverse("ads:click", args=[other])).status_code == 400


def test_a_deleted_creative_gives_404(slot, client):
    creative = CreativeFactory()
    path = click_path(creative_id=creative.pk, slot_id=slot.pk)
    creative.delete()
    assert client.get(path, HTTP_USER_AGENT=HUMAN_UA).status_code == 404


def test_no_open_redirect_the_target_never_comes_from_the_url(slot, client):
    creative = CreativeFactory(click_url="https://baeckerei.example/")
    path = click_path(creative_id=creative.pk, slot_id=slot.pk)
    response = client.get(path + "?next=https://evil.example/&url=https://evil.example/")
    assert response["Location"] == "https://baeckerei.example/"
    # A token whose payload names a URL is still only a creative and a slot.
    crafted = signing.Signer(salt=TOKEN_SALT).sign_object({"u": "https://evil.example/"})
    assert client.get(reverse("ads:click", args=[crafted])).status_code == 400
