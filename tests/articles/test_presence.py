"""Who else has an article open: a heartbeat, and a notice before anyone saves."""

import pytest
from django.urls import reverse

from articles import services
from articles.presence import presence_beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(journalist, section):
    return services.article_create(
        actor=journalist, headline="Streik bei der Bahn", lead="Züge fallen aus.", section=section
    )


def test_both_editors_see_each_other_before_saving(client, journalist, editor, draft):
    url = reverse("admin:articles_article_change", args=[draft.pk])
    beat = reverse("admin:articles_article_presence", args=[draft.pk])
    client.force_login(journalist)
    first = client.get(url).text
    assert "bearbeitet diesen Artikel ebenfalls" not in first

    client.force_login(editor)
    second = client.get(url).text
    assert "Jana Redlich bearbeitet diesen Artikel ebenfalls." in second

    client.force_login(journalist)
    answer = client.post(beat).json()
    assert answer["others"] == ["Carla Vogt"]
    assert answer["message"] == "Carla Vogt bearbeitet diesen Artikel ebenfalls."


def test_someone_who_closed_the_form_is_gone_after_three_missed_beats(
    journalist, editor, draft, settings
):
    settings.ADMIN_PRESENCE_SECONDS = 20
    presence_beat(user=editor, article_id=draft.pk, now=1000.0)
    assert presence_beat(user=journalist, article_id=draft.pk, now=1030.0) == ["Carla Vogt"]
    assert presence_beat(user=journalist, article_id=draft.pk, now=1061.0) == []


def test_the_heartbeat_is_for_people_who_may_see_the_article(client, other_journalist, draft):
    client.force_login(other_journalist)
    response = client.post(reverse("admin:articles_article_presence", args=[draft.pk]))
    assert response.status_code == 403
    assert (
        client.get(reverse("admin:articles_article_presence", args=[draft.pk])).status_code == 405
    )


def test_the_english_admin_says_it_in_english(client, journalist, editor, draft):
    presence_beat(user=journalist, article_id=draft.pk)
    client.force_login(editor)
    answer = client.post(
        reverse("admin:articles_article_presence", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert answer["message"] == "Jana Redlich is also editing this article."
