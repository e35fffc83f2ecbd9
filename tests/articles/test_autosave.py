"""Autosave: drafts saved in the background, per person, apart from the revisions;
restored into the form, where the edit-conflict check still guards the save."""

import json

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleAutosave
from core.models import AuditEntry
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _autosave_on(settings):
    settings.ADMIN_AUTOSAVE_SECONDS = 15  # the test settings switch it off


@pytest.fixture
def draft(journalist, section):
    return services.article_create(
        actor=journalist, headline="Hochwasser am Rhein", lead="Pegel steigt.", section=section
    )


def _autosave(client, article, base_version, **fields):
    return client.post(
        reverse("admin:articles_article_autosave", args=[article.pk]),
        json.dumps({"base_version": base_version, "fields": fields}),
        content_type="application/json",
    )


def test_autosave_keeps_the_typed_text_apart_from_the_revisions(client, journalist, draft):
    client.force_login(journalist)
    for lead in ("Pegel steigt weiter.", "Pegel steigt weiter, Deiche halten."):
        response = _autosave(client, draft, 1, headline="Hochwasser am Rhein", lead=lead)
        assert response.status_code == 200
        assert "gesichert" in response.json()["message"]
    autosave = ArticleAutosave.objects.get()
    assert autosave.data["lead"] == "Pegel steigt weiter, Deiche halten."
    assert autosave.base_version == 1
    draft.refresh_from_db()
    assert draft.lead == "Pegel steigt."  # the article itself is untouched
    assert draft.version == 1
    assert draft.revisions.count() == 1
    # One audit entry for the session, not one per background save.
    assert AuditEntry.objects.filter(action="article.autosave_start").count() == 1


def test_the_form_offers_to_restore_the_draft_and_saving_removes_it(client, journalist, draft):
    client.force_login(journalist)
    _autosave(client, draft, 1, lead="Pegel steigt weiter.")
    url = reverse("admin:articles_article_change", args=[draft.pk])
    page = client.get(url).text
    assert "Entwurf vom" in page and "wiederherstellen" in page
    assert "Pegel steigt weiter." in page  # the draft, for the script that restores it
    response = client.post(url, form_data(draft, lead="Pegel steigt weiter."))
    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()
    assert "wiederherstellen" not in client.get(url).text


def test_a_restored_draft_never_overwrites_someone_elses_save(client, journalist, editor, draft):
    client.force_login(journalist)
    _autosave(client, draft, 1, lead="Mein ungespeicherter Vorspann")
    services.article_update(
        actor=editor, article=draft, expected_version=1, changes={"lead": "Vom CvD"}
    )
    # The tab was closed; the journalist restores (edit_version = the draft's version 1).
    draft.refresh_from_db()
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = form_data(draft, lead="Mein ungespeicherter Vorspann", edit_version="1")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Carla Vogt hat den Artikel gespeichert" in response.text
    draft.refresh_from_db()
    assert draft.lead == "Vom CvD"


def test_autosaves_are_per_person(client, journalist, editor, draft):
    client.force_login(journalist)
    _autosave(client, draft, 1, lead="Von Jana")
    client.force_login(editor)
    _autosave(client, draft, 1, lead="Von Carla")
    assert ArticleAutosave.objects.count() == 2
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).text
    assert "Von Carla" in page and "Von Jana" not in page


def test_nobody_autosaves_an_article_they_may_not_edit(client, other_journalist, draft):
    client.force_login(other_journalist)
    assert _autosave(client, draft, 1, lead="Fremd").status_code in (403, 404)
    assert not ArticleAutosave.objects.exists()


def test_a_draft_can_be_discarded(client, journalist, draft):
    client.force_login(journalist)
    _autosave(client, draft, 1, lead="Weg damit")
    response = client.post(reverse("admin:articles_article_autosave_discard", args=[draft.pk]))
    assert response.status_code == 302
    assert not ArticleAutosave.objects.exists()
    assert AuditEntry.objects.filter(action="article.autosave_discard").exists()


def test_unknown_fields_and_bad_requests_are_refused(client, journalist, draft):
    client.force_login(journalist)
    _autosave(client, draft, 1, status="published", lead="ok")
    assert ArticleAutosave.objects.get().data == {"lead": "ok"}
    url = reverse("admin:articles_article_autosave", args=[draft.pk])
    assert client.post(url, "kein json", content_type="application/json").status_code == 400
    assert _autosave(client, draft, 1, lead=["liste"]).status_code == 400
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
