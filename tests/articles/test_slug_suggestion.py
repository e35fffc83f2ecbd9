"""A new article whose slug another article has gets a free slug offered, not a refusal."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(journalist, section):
    return services.article_create(
        actor=journalist, headline="Neue Brücke über den Fluss", lead="Vorspann", section=section
    )


def test_a_taken_slug_is_offered_free_and_used_when_saving_again(client, editor, section, existing):
    client.force_login(editor)
    url = reverse("admin:articles_article_add")
    data = form_data(section=str(section.pk), slug=existing.slug)

    first = client.post(url, data)

    assert first.status_code == 200
    form = first.context["adminform"].form
    assert "neue-bruecke-ueber-den-fluss-2" in form.errors["slug"][0]
    assert 'value="neue-bruecke-ueber-den-fluss-2"' in first.text
    assert Article.objects.count() == 1

    # Confirm: the form is sent again as shown, with the suggested slug in the field.
    confirmed = client.post(url, {**data, "slug": form.data["slug"]})

    assert confirmed.status_code == 302
    new = Article.objects.exclude(pk=existing.pk).get()
    assert new.slug == "neue-bruecke-ueber-den-fluss-2"
    assert Article.objects.get(pk=existing.pk).slug == "neue-bruecke-ueber-den-fluss"


def test_the_suggestion_skips_every_taken_number(client, journalist, section, existing):
    services.article_create(
        actor=journalist, headline="Neue Brücke über den Fluss", lead="V", section=section
    )
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(section=str(section.pk), slug=existing.slug),
    )
    assert response.context["adminform"].form.data["slug"] == "neue-bruecke-ueber-den-fluss-3"


def test_an_empty_slug_of_a_taken_headline_is_filled_free_without_asking(
    client, journalist, section, existing
):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_add"), form_data(section=str(section.pk))
    )
    assert response.status_code == 302
    assert Article.objects.exclude(pk=existing.pk).get().slug == "neue-bruecke-ueber-den-fluss-2"


def test_saving_an_article_with_its_own_slug_is_no_conflict(client, journalist, existing):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_change", args=[existing.pk]),
        form_data(existing, lead="Geändert"),
    )
    assert response.status_code == 302
