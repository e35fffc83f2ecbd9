"""The corrections loop: a reader reports an error at a passage (with or without
JavaScript), the report lands in the editors' queue (not the moderation's), an
editor publishes it as a correction on the article, and the reporter is mailed."""

import json
import re

import pytest
from django.core import mail

from articles.models import Correction
from comments.models import ErrorReport
from core.models import AuditEntry
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = "<p>Die Stadt hat 120.000 Einwohner.</p><p>Das Bad kostet 12 Millionen Euro.</p>"


@pytest.fixture
def story(db):
    return ArticleFactory(published=True, body=BODY, headline="Neues Bad für die Stadt")


def test_the_article_offers_error_reports_and_the_form_preselects_the_passage(client, story):
    page = client.get(story.get_absolute_url()).text
    assert f'href="/kommentare/fehler/{story.pk}/"' in page
    form = client.get(f"/kommentare/fehler/{story.pk}/?absatz=1").text
    # Without the script the reader chooses the passage; the script's link preselects it.
    assert '<option value="1" selected>2: Das Bad kostet 12 Millionen Euro.</option>' in form


def test_a_reader_reports_an_error_at_a_passage(client, story):
    response = client.post(
        f"/kommentare/fehler/{story.pk}/",
        {
            "paragraph": "1",
            "text": "Es sind 14 Millionen, siehe Ratsbeschluss.",
            "email": "leser@example.org",
        },
    )
    assert response.status_code == 200
    report = ErrorReport.objects.get()
    assert report.passage == "Das Bad kostet 12 Millionen Euro."
    assert report.status == ErrorReport.Status.OPEN
    assert AuditEntry.objects.filter(action="error_report.submit").exists()
    assert client.post(f"/kommentare/fehler/{story.pk}/", {"text": ""}).status_code == 400


def test_error_reports_are_the_editors_queue_not_the_moderations(client, story, editor, moderator):
    ErrorReport.objects.create(article=story, text="Falsche Zahl.")
    client.force_login(moderator)
    assert client.get("/admin/comments/errorreport/?status=open").status_code == 403
    client.force_login(editor)
    page = client.get("/admin/comments/errorreport/?status=open")
    assert page.status_code == 200 and "Falsche Zahl." in page.text


def test_an_editor_publishes_a_report_as_a_correction_and_the_reporter_is_told(
    client, story, editor, django_capture_on_commit_callbacks
):
    report = ErrorReport.objects.create(
        article=story, text="Es sind 14 Millionen.", email="leser@example.org", paragraph_index=1
    )
    client.force_login(editor)
    form = client.get(f"/admin/comments/errorreport/{report.pk}/change/").text
    assert "Korrektur veröffentlichen" in form
    assert 'value="Sichern"' not in form  # a read-only page has no save button
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/comments/errorreport/{report.pk}/bearbeiten/correct/",
            {
                "text": "In einer früheren Fassung hieß es, das Bad koste 12 Millionen Euro. Es sind 14 Millionen."
            },
        )
    assert response.status_code == 302
    report.refresh_from_db()
    correction = Correction.objects.get(article=story)
    assert report.status == ErrorReport.Status.CORRECTED and report.correction == correction
    assert mail.outbox[-1].to == ["leser@example.org"]
    assert "korrigiert" in mail.outbox[-1].body and "#korrekturen" in mail.outbox[-1].body
    client.logout()
    page = client.get(story.get_absolute_url()).text
    assert "Es sind 14 Millionen." in page
    data = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    ]
    assert any("correction" in str(block) and "14 Millionen" in str(block) for block in data)


def test_an_editor_dismisses_a_report(client, story, editor):
    report = ErrorReport.objects.create(article=story, text="Gefällt mir nicht.")
    client.force_login(editor)
    client.post(f"/admin/comments/errorreport/{report.pk}/bearbeiten/dismiss/")
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.DISMISSED and report.handled_by == editor
    assert not Correction.objects.exists()
