"""Manage my data (DSGVO), the IP purge command and the demo seed."""

import json
import re
from datetime import timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from comments.demo import seed_demo_comments
from comments.models import Comment, FeedbackPoint, Subscription
from tests.factories import ArticleFactory


@pytest.mark.django_db
def test_a_reader_manages_exports_and_deletes_their_data(
    client, article, conf, post_comment, django_capture_on_commit_callbacks
):
    post_comment(article, text="Mein Kommentar, den ich später lösche.")
    mine = Comment.objects.get()
    post_comment(article, name="B", email="b@example.org", text="Antwort darauf.", parent=mine.pk)
    post_comment(article, text="Ein zweiter eigener Kommentar hier.")
    Subscription.objects.create(
        article=article, email="erika@example.org", kind="all", confirmed_at=timezone.now()
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/kommentare/meine-daten/", {"email": "Erika@example.org"})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    path = urlsplit(re.search(r"https?://\S+/meine-daten/\S+/", mail.outbox[0].body).group(0)).path

    page = client.get(path)
    assert page.status_code == 200
    assert article.headline in page.text and "aktiv" in page.text

    export = client.get(f"{path}export/")
    assert export["Content-Disposition"].startswith("attachment")
    data = json.loads(export.content)
    assert data["email"] == "erika@example.org"
    assert {c["text"] for c in data["comments"]} == {
        "Mein Kommentar, den ich später lösche.",
        "Ein zweiter eigener Kommentar hier.",
    }
    assert data["subscriptions"][0]["kind"] == "all"

    client.post(path, {"action": "delete_comments"})  # without the tick: nothing happens
    assert Comment.objects.filter(email="erika@example.org").count() == 2
    client.post(path, {"action": "delete_comments", "confirm": "1"})
    assert not Comment.objects.filter(email="erika@example.org").exists()
    mine.refresh_from_db()  # kept as an empty placeholder: someone answered it
    assert mine.is_removed and mine.text == "" and mine.name == ""
    assert Comment.objects.filter(email="b@example.org").exists()
    assert not Subscription.objects.get().is_active


@pytest.mark.django_db
def test_unknown_addresses_get_no_mail_but_the_same_answer(client, conf):
    response = client.post("/kommentare/meine-daten/", {"email": "niemand@example.org"})
    assert response.status_code == 200 and "Wenn zu dieser Adresse" in response.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_forged_manage_link_shows_nothing(client):
    assert client.get("/kommentare/meine-daten/gefaelscht/").status_code == 404


@pytest.mark.django_db
def test_purge_comment_ips_removes_old_ips_and_supports_dry_run(article, conf, post_comment):
    post_comment(article, text="Alter Kommentar mit IP.", meta={"REMOTE_ADDR": "203.0.113.9"})
    post_comment(article, text="Neuer Kommentar mit IP.", email="n@example.org")
    Comment.objects.filter(text__startswith="Alter").update(
        created_at=timezone.now() - timedelta(days=20)
    )
    out = StringIO()
    call_command("purge_comment_ips", "--days", "14", "--dry-run", stdout=out)
    assert "bei 1 Kommentar älter als 14 Tage" in out.getvalue()
    assert Comment.objects.filter(ip__isnull=False).count() == 2

    out = StringIO()
    call_command("purge_comment_ips", "--days", "14", stdout=out, verbosity=0)
    assert out.getvalue() == ""
    old = Comment.objects.get(text__startswith="Alter")
    assert old.ip is None and old.user_agent == ""
    assert Comment.objects.get(text__startswith="Neuer").ip is not None


@pytest.mark.django_db
def test_demo_comments_are_idempotent(conf):
    ArticleFactory(published=True, body="<p>Ein Absatz zum Kommentieren.</p>")
    assert seed_demo_comments(stdout=StringIO(), verbosity=1) == 1
    count = Comment.objects.count()
    assert Comment.objects.filter(status="pending").count() == 3
    assert FeedbackPoint.objects.count() == 1
    assert Comment.objects.filter(is_staff_comment=True).exists()
    assert seed_demo_comments(stdout=StringIO(), verbosity=1) == 0
    assert Comment.objects.count() == count


@pytest.mark.django_db
def test_comment_commands_speak_the_active_language(article, conf, post_comment):
    post_comment(article, text="Alter Kommentar mit IP.", meta={"REMOTE_ADDR": "203.0.113.9"})
    Comment.objects.update(created_at=timezone.now() - timedelta(days=20))
    outputs = {}
    for language in ("de", "en"):
        with translation.override(language):
            purge, retry = StringIO(), StringIO()
            call_command("purge_comment_ips", "--days", "14", "--dry-run", stdout=purge)
            call_command("retry_comment_notifications", "--dry-run", stdout=retry)
            outputs[language] = (purge.getvalue(), retry.getvalue())
    assert "Probelauf: bei 1 Kommentar älter als 14 Tage" in outputs["de"][0]
    assert "Probelauf: 0 Benachrichtigungen sind fällig." in outputs["de"][1]
    assert (
        "Dry run: IP addresses would be removed from 1 comment older than 14 days."
        in (outputs["en"][0])
    )
    assert "Dry run: 0 notifications are due." in outputs["en"][1]
    with translation.override("en"), pytest.raises(CommandError, match="--days must be"):
        call_command("purge_comment_ips", "--days", "-1")
