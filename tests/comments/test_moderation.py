"""The moderation desk in the admin: queues, reasons, history, actions, reports, roles."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError

from comments import services
from comments.models import BannedAddress, Comment, ModerationMode
from core.models import AuditEntry


@pytest.fixture
def held(article, conf, post_comment):
    conf.mode = ModerationMode.FIRST_COMMENT
    conf.save()
    post_comment(article, name="Neu", email="neu@example.org", text="Erster Versuch hier.")
    return Comment.objects.get()


@pytest.mark.django_db
def test_the_moderation_group_may_moderate_comments_and_nothing_of_the_articles(moderator):
    perms = set(
        Permission.objects.filter(group__name="Moderation").values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("comments", "moderate_comment") in perms
    # The comment page is read-only: decisions are actions, not saves.
    assert ("comments", "change_comment") not in perms
    assert {app for app, _ in perms} == {"comments"}
    assert not moderator.has_perm("articles.change_article")


@pytest.mark.django_db
def test_the_desk_opens_on_the_pending_queue_with_counts_reasons_and_history(
    client, moderator, held, article, post_comment
):
    services.comment_approve(comment=held, actor=moderator)
    post_comment(article, name="Neu", email="neu@example.org", text="Zweiter Versuch, bitte.")
    post_comment(
        article,
        name="Fremd",
        email="fremd@example.org",
        text="Eine Antwort auf den ersten.",
        parent=held.pk,
    )
    client.force_login(moderator)
    response = client.get("/admin/comments/comment/")
    assert response.status_code == 302 and response["Location"].endswith("?queue=pending")
    page = client.get("/admin/comments/comment/?queue=pending").text
    assert "Wartet auf Freigabe (1)" in page
    assert "Freigegeben (2)" in page
    assert "Gemeldet (0)" in page
    assert "Erster Kommentar dieser Adresse" in page
    assert article.headline in page
    assert "Erster Versuch hier." in page  # the comment it replies to
    assert "0 freigegeben, 0 abgelehnt" in page  # fremd@ has no history yet
    assert client.get("/admin/articles/article/").status_code in (403, 404)


@pytest.mark.django_db
def test_bulk_approve_and_spam_call_the_services(client, moderator, held):
    client.force_login(moderator)
    response = client.post(
        "/admin/comments/comment/?queue=pending",
        {"action": "approve", "_selected_action": [held.pk]},
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED and held.moderated_by == moderator
    assert AuditEntry.objects.filter(action="comment.approve").exists()
    client.post(
        "/admin/comments/comment/?queue=approved",
        {"action": "mark_spam", "_selected_action": [held.pk]},
    )
    held.refresh_from_db()
    assert held.status == Comment.Status.SPAM


@pytest.mark.django_db
def test_rejecting_needs_a_ground_and_the_facts_and_mails_the_statement(client, moderator, held):
    client.force_login(moderator)
    url = "/admin/comments/comment/?queue=pending"
    form = client.post(url, {"action": "reject", "_selected_action": [held.pk]})
    assert form.status_code == 200 and "Grund (Katalog)" in form.text
    again = client.post(
        url, {"action": "reject", "_selected_action": [held.pk], "apply": "1", "reason": ""}
    )
    assert again.status_code == 200
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
    mail.outbox.clear()
    client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [held.pk],
            "apply": "1",
            "ground": "rules_off_topic",
            "reason": "Bitte bleiben Sie beim Thema.",
        },
    )
    held.refresh_from_db()
    assert held.status == Comment.Status.REJECTED
    assert held.rejection_reason == "Bitte bleiben Sie beim Thema."
    with pytest.raises(ValidationError):
        services.comment_reject(comment=held, actor=moderator, reason="  ")


@pytest.mark.django_db
def test_reject_mails_the_reason_to_the_author(held, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=held, actor=moderator, reason="Bitte sachlich bleiben.", notify_author=True
        )
    assert mail.outbox[-1].to == ["neu@example.org"]
    assert "Bitte sachlich bleiben." in mail.outbox[-1].body


@pytest.mark.django_db
def test_one_click_bans_an_address_and_its_waiting_comments_go_to_spam(
    client, moderator, held, article, post_comment
):
    client.force_login(moderator)
    response = client.post(f"/admin/comments/comment/{held.pk}/moderieren/ban/")
    assert response.status_code == 302
    assert BannedAddress.objects.filter(email="neu@example.org").exists()
    held.refresh_from_db()
    assert held.status == Comment.Status.SPAM
    client.logout()
    post_comment(article, name="Neu", email="neu@example.org", text="Ich versuche es erneut.")
    assert Comment.objects.latest("pk").status == Comment.Status.REJECTED


@pytest.mark.django_db
def test_the_change_page_shows_one_click_buttons(client, moderator, held):
    client.force_login(moderator)
    page = client.get(f"/admin/comments/comment/{held.pk}/change/").text
    assert f"/admin/comments/comment/{held.pk}/moderieren/approve/" in page
    assert f"/admin/comments/comment/{held.pk}/moderieren/ban/" in page
    assert "Bisher von dieser Adresse" in page


@pytest.mark.django_db
def test_enough_reports_move_a_comment_to_the_reported_queue(client, article, conf, post_comment):
    conf.reports_to_hide = 2
    conf.save()
    post_comment(article)
    comment = Comment.objects.get()
    url = f"/kommentare/melden/{comment.pk}/"
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "insult"}, REMOTE_ADDR="192.0.2.1")
    client.post(url, {"reason": "insult"}, REMOTE_ADDR="192.0.2.1")  # same reader again
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.status == Comment.Status.APPROVED
    response = client.post(url, {"reason": "spam", "note": "Werbung"}, REMOTE_ADDR="192.0.2.2")
    assert "Danke" in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING and comment.is_reported
    assert "reported" in [r["code"] for r in comment.moderation_reasons]


@pytest.mark.django_db
def test_feedback_points_choose_a_paragraph_and_quote_it(admin_client, article):
    article.body = "<p>Absatz eins.</p><p>Absatz zwei mit Inhalt.</p>"
    article.save()
    response = admin_client.post(
        "/admin/comments/feedbackpoint/add/",
        {
            "article": article.pk,
            "paragraph_index": 1,
            "question": "Was meinen Sie?",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.text
    point = article.feedback_points.get()
    assert point.passage == "Absatz zwei mit Inhalt."
    response = admin_client.post(
        "/admin/comments/feedbackpoint/add/",
        {"article": article.pk, "paragraph_index": 5, "question": "Zu weit?"},
    )
    assert "nur 2 Absätze" in response.text


@pytest.mark.django_db
def test_reporting_with_javascript_gets_a_json_answer(client, article, conf, post_comment):
    post_comment(article)
    comment = Comment.objects.get()
    response = client.post(
        f"/kommentare/melden/{comment.pk}/",
        {"reason": "spam"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert "Danke" in response.json()["message"]
    comment.refresh_from_db()
    assert comment.report_count == 1


@pytest.mark.django_db
def test_editor_pins_a_comment_but_cannot_moderate_or_see_addresses(
    client, editor, article, conf, post_comment
):
    post_comment(article, email="leserin@example.org", text="Ein Kommentar zum Hervorheben.")
    comment = Comment.objects.get()
    client.force_login(editor)

    page = client.get(f"/admin/comments/comment/{comment.pk}/change/").text
    assert f"/admin/comments/comment/{comment.pk}/moderieren/pin/" in page
    assert f"/admin/comments/comment/{comment.pk}/moderieren/approve/" not in page
    assert "leserin@example.org" not in page
    listing = client.get("/admin/comments/comment/?queue=approved").text
    assert "Ein Kommentar zum Hervorheben." in listing
    assert "leserin@example.org" not in listing

    response = client.post(f"/admin/comments/comment/{comment.pk}/moderieren/pin/")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_pinned
    assert AuditEntry.objects.filter(action="comment.pin", actor=editor).exists()
    page = client.get(article.get_absolute_url()).text
    assert "comment--pinned" in page

    response = client.post(f"/admin/comments/comment/{comment.pk}/moderieren/spam/")
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
