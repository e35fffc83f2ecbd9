"""Workflow steps from the article change form save the edits first (one submit);
the form shows the article's workflow timeline; archived articles come back."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.signals import article_changed
from core.models import AuditEntry, StaffPreference
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db
S = Article.Status
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def in_review(journalist, section):
    article = services.article_create(
        actor=journalist,
        headline="Kreistag beschließt Radweg",
        lead="Der Radweg kommt.",
        body="<p>Text</p>",
        section=section,
    )
    return services.article_submit(actor=journalist, article=article)


def _change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _post_step(client, article, action, **overrides):
    return client.post(_change_url(article), form_data(article, _workflow=action, **overrides))


def test_publish_button_saves_the_edited_headline_and_publishes_it(client, editor, in_review):
    client.force_login(editor)
    response = _post_step(client, in_review, "publish", headline="Kreistag beschließt Radweg B 3")
    assert response.status_code == 302
    assert response.url == _change_url(in_review)
    article = Article.objects.get(pk=in_review.pk)
    assert article.headline == "Kreistag beschließt Radweg B 3"
    assert article.status == S.PUBLISHED
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert article.revisions.order_by("-number").first().snapshot["headline"] == article.headline
    actions = list(
        AuditEntry.objects.filter(object_id=str(article.pk))
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["article.update", "article.publish"]


def test_the_change_form_offers_the_steps_as_buttons_of_the_form(client, editor, in_review):
    client.force_login(editor)
    html = client.get(_change_url(in_review)).text
    start = html.index('id="article_form"')
    form = html[start : html.index("</form>", start)]
    for action in ("publish", "archive", "send_back"):
        assert f'name="_workflow" value="{action}"' in form
    # Enter in a field must save, not publish: the save buttons come first.
    assert form.index('name="_save"') < form.index('name="_workflow"')
    assert 'name="workflow-go_live_at_0"' in form


def test_a_step_with_an_invalid_form_saves_nothing_and_does_not_transition(
    client, editor, in_review
):
    client.force_login(editor)
    response = _post_step(client, in_review, "publish", headline="", lead="Geänderter Vorspann")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["headline"]
    assert "Geänderter Vorspann" in response.text  # the user's input is still there
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.lead, article.version) == (S.REVIEW, "Der Radweg kommt.", 1)


def test_send_back_without_reason_keeps_the_edits_in_the_form_and_saves_nothing(
    client, editor, in_review
):
    client.force_login(editor)
    response = _post_step(client, in_review, "send_back", lead="Neuer Vorspann")
    assert response.status_code == 200
    assert "Zurückweisen" in str(response.context["adminform"].form.non_field_errors())
    assert "Neuer Vorspann" in response.text
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.lead) == (S.REVIEW, "Der Radweg kommt.")


def test_send_back_with_reason_from_the_form_saves_and_records_the_reason(
    client, editor, in_review
):
    client.force_login(editor)
    response = _post_step(
        client, in_review, "send_back", lead="Gekürzt", **{"workflow-note": "Quelle fehlt"}
    )
    assert response.status_code == 302
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.lead) == (S.DRAFT, "Gekürzt")
    assert AuditEntry.objects.get(action="article.send_back").note == "Quelle fehlt"


def test_a_step_the_service_refuses_rolls_the_save_back_and_shows_why(client, editor, in_review):
    client.force_login(editor)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = _post_step(
        client,
        in_review,
        "publish",
        headline="Neue Überschrift",
        **{
            "workflow-go_live_at_0": f"{tomorrow:%d.%m.%Y}",
            "workflow-go_live_at_1": "10:00:00",
            "workflow-expires_at_0": f"{tomorrow:%d.%m.%Y}",
            "workflow-expires_at_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "Der Ablauf muss nach dem Veröffentlichungszeitpunkt liegen." in response.text
    assert "Neue Überschrift" in response.text
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.headline, article.version) == (
        S.REVIEW,
        "Kreistag beschließt Radweg",
        1,
    )
    assert article.revisions.count() == 1
    assert not AuditEntry.objects.filter(action="article.update").exists()


def test_a_journalist_cannot_publish_through_the_form_and_nothing_is_saved(
    client, journalist, section
):
    draft = services.article_create(
        actor=journalist, headline="Mein Entwurf", lead="Vorspann", section=section
    )
    client.force_login(journalist)
    response = _post_step(client, draft, "publish", headline="Veröffentlicht?")
    assert response.status_code == 200
    assert "nicht (mehr) möglich" in response.text
    draft.refresh_from_db()
    assert (draft.status, draft.headline) == (S.DRAFT, "Mein Entwurf")


def test_a_step_without_edits_makes_no_new_revision(client, editor, in_review):
    client.force_login(editor)
    response = _post_step(client, in_review, "publish")
    assert response.status_code == 302
    article = Article.objects.get(pk=in_review.pk)
    assert (article.status, article.version, article.revisions.count()) == (S.PUBLISHED, 1, 1)


def test_journalist_sees_in_the_timeline_why_and_by_whom_the_article_was_sent_back(
    client, journalist, editor, in_review
):
    services.article_send_back(actor=editor, article=in_review, reason="Bitte Zahlen belegen.")
    entry = AuditEntry.objects.get(action="article.send_back")
    AuditEntry.objects.filter(pk=entry.pk).update(
        created_at=datetime(2027, 7, 1, 6, 30, tzinfo=ZoneInfo("UTC"))
    )
    client.force_login(journalist)
    html = client.get(_change_url(in_review)).text
    timeline = html[html.index('id="verlauf"') :]
    assert "Zur Prüfung eingereicht" in timeline
    assert "Zurückgewiesen" in timeline
    assert "Carla Vogt" in timeline
    assert "Bitte Zahlen belegen." in timeline
    assert "1. Juli 2027 08:30" in timeline  # 06:30 UTC is 08:30 in Berlin (summer time)
    assert timeline.index("Zur Prüfung eingereicht") < timeline.index("Zurückgewiesen")


def test_timeline_names_the_go_live_time_of_a_scheduled_publication(client, editor, in_review):
    go_live = datetime(2030, 1, 15, 7, 0, tzinfo=BERLIN)
    services.article_publish(actor=editor, article=in_review, go_live_at=go_live)
    client.force_login(editor)
    html = client.get(_change_url(in_review)).text
    timeline = html[html.index('id="verlauf"') :]
    assert "Geplant" in timeline and "15. Januar 2030 07:00" in timeline


def test_editor_brings_an_archived_article_back_as_a_draft(
    editor, in_review, django_capture_on_commit_callbacks
):
    services.article_archive(actor=editor, article=in_review)
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    article_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.article_restore_from_archive(
                actor=editor, article=in_review, note="Wieder aktuell"
            )
        assert received == [], "the signal waits for the commit"
        for callback in callbacks:
            callback()
    finally:
        article_changed.disconnect(receiver)
    article = Article.objects.get(pk=in_review.pk)
    assert article.status == S.DRAFT
    entry = AuditEntry.objects.get(action="article.restore_from_archive")
    assert (entry.actor, entry.from_state, entry.to_state, entry.note) == (
        editor,
        S.ARCHIVED,
        S.DRAFT,
        "Wieder aktuell",
    )
    assert received[0]["action"] == "restored_from_archive"


def test_only_archived_articles_come_back_and_only_for_editors(editor, journalist, in_review):
    with pytest.raises(services.WorkflowError):
        services.article_restore_from_archive(actor=editor, article=in_review)
    services.article_archive(actor=editor, article=in_review)
    with pytest.raises(PermissionDenied):
        services.article_restore_from_archive(actor=journalist, article=in_review)
    assert Article.objects.get(pk=in_review.pk).status == S.ARCHIVED


def test_archived_article_has_a_restore_button_that_works(client, editor, in_review):
    services.article_archive(actor=editor, article=in_review)
    client.force_login(editor)
    html = client.get(_change_url(in_review)).text
    assert 'name="_workflow" value="restore_from_archive"' in html
    assert "Aus dem Archiv zurückholen" in html
    response = _post_step(client, in_review, "restore_from_archive")
    assert response.status_code == 302
    assert Article.objects.get(pk=in_review.pk).status == S.DRAFT


def test_scheduled_publish_mail_names_the_go_live_time_in_berlin_time(
    editor, journalist, in_review, django_capture_on_commit_callbacks
):
    go_live = datetime(2030, 1, 15, 6, 0, tzinfo=ZoneInfo("UTC"))  # 07:00 in Berlin
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=in_review, go_live_at=go_live)
    (message,) = mail.outbox
    assert message.to == ["redakteurin@example.org"]
    assert message.subject == "Geplant: Kreistag beschließt Radweg"
    assert "15. Januar 2030 07:00 (Zeitzone Europe/Berlin)" in message.body


def test_scheduled_publish_mail_speaks_the_recipients_language(
    editor, journalist, in_review, django_capture_on_commit_callbacks
):
    StaffPreference.objects.create(user=journalist, language="en")
    go_live = datetime(2030, 1, 15, 6, 0, tzinfo=ZoneInfo("UTC"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=in_review, go_live_at=go_live)
    (message,) = mail.outbox
    assert message.subject == "Scheduled: Kreistag beschließt Radweg"
    assert "Jan. 15, 2030, 7 a.m. (time zone Europe/Berlin)" in message.body


def test_immediate_publish_mail_has_no_go_live_line(
    editor, journalist, in_review, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=in_review)
    (message,) = mail.outbox
    assert message.subject.startswith("Veröffentlicht:")
    assert "Geht online" not in message.body
