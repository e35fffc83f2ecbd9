"""Checks before publishing: warnings in the side panel, blocking ones refused by the service."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import services
from articles.models import Article
from articles.publish_checks import run_publish_checks
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

CLEAN_BODY = "<h2>Worum es geht</h2><p>Text mit <a href='https://example.org/'>Quelle</a>.</p>"


@pytest.fixture
def draft(journalist, section):
    return services.article_create(
        actor=journalist,
        headline="Stadtrat beschließt neuen Radweg",
        lead="Der Radweg kommt 2027.",
        body=CLEAN_BODY,
        section=section,
    )


def _checks(article):
    return {finding.check for finding in run_publish_checks(article)}


def test_a_clean_article_has_no_findings(draft):
    assert run_publish_checks(draft) == []


def test_every_check_names_its_problem(draft, section):
    published = ArticleFactory(published=True, section=section, slug="es-gibt-mich")
    draft.headline = (
        "Eine Überschrift, die viel zu lang ist für die Ergebnisliste einer Suchmaschine"
    )
    draft.lead = " "
    draft.body = (
        '<p><img src="/media/a.jpg" alt=""></p>'
        "<h3>Ohne h2 davor</h3>"
        '<p><a href="http://example.org/">unsicher</a> <a href="">leer</a> '
        f'<a href="/{section.slug}/gibt-es-nicht/">kaputt</a> '
        f'<a href="/{section.slug}/{published.slug}/">gut</a> <a href="#absatz">Anker</a></p>'
    )
    findings = run_publish_checks(draft)
    messages = " ".join(f.message for f in findings)
    assert _checks(draft) == {"alt_text", "headline_length", "lead", "links", "heading_order"}
    assert "http://example.org/" in messages
    assert "gibt-es-nicht" in messages
    assert published.slug not in messages
    assert "Anker" not in messages and "#absatz" not in messages
    assert "h3 folgt auf h1" in messages


def test_the_teaser_image_needs_alt_text_too(draft):
    draft.teaser_image = ImageFactory(alt_text="")
    assert _checks(draft) == {"alt_text"}


def test_publishing_is_refused_while_a_blocking_check_fails(editor, draft, settings):
    settings.PUBLISH_BLOCKING_CHECKS = ["alt_text"]
    Article.objects.filter(pk=draft.pk).update(body='<p><img src="/media/a.jpg"></p>')
    with pytest.raises(ValidationError) as refused:
        services.article_publish(actor=editor, article=draft)
    assert "ohne Alternativtext" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_warnings_that_do_not_block_let_the_editor_publish(editor, draft, settings):
    settings.PUBLISH_BLOCKING_CHECKS = ["alt_text"]
    Article.objects.filter(pk=draft.pk).update(body='<p><a href="http://example.org/">x</a></p>')
    services.article_publish(actor=editor, article=draft)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_the_side_panel_shows_findings_and_the_publish_button_refuses(
    client, editor, draft, settings
):
    settings.PUBLISH_BLOCKING_CHECKS = ["links"]
    Article.objects.filter(pk=draft.pk).update(body='<p><a href="http://example.org/">x</a></p>')
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    side = client.get(url).text
    side = side[side.index('id="pruefungen"') :]
    assert "Blockiert:" in side and "http://example.org/" in side

    from tests.articles.test_admin import form_data

    draft.refresh_from_db()
    response = client.post(url, form_data(draft, _workflow="publish"))
    assert response.status_code == 200
    assert "Vor dem Veröffentlichen beheben" in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_an_unknown_blocking_check_is_a_startup_error(settings):
    settings.PUBLISH_BLOCKING_CHECKS = ["alt_txt"]
    errors = [e for e in run_checks() if e.id == "newsroom.E020"]
    assert errors and "alt_txt" in errors[0].msg
