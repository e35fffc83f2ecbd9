"""The moderation desk screen: one queue per screen with each comment in context,
row actions that work with and without JavaScript, notes, counts, undo."""

import pytest
from django.core import mail

from comments import services
from comments.models import BannedAddress, Comment, FeedbackPoint, ModerationDecision
from core.models import AuditEntry
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}


@pytest.fixture
def waiting(article, conf):
    point = FeedbackPoint.objects.create(
        article=article, paragraph_index=0, passage="Die Stadt baut ein Bad.", question="Gut?"
    )
    parent = Comment.objects.create(
        article=article,
        name="Erste",
        email="erste@example.org",
        text="Der erste Beitrag.",
        status="approved",
    )
    reply = Comment.objects.create(
        article=article,
        name="Zweite",
        email="zweite@example.org",
        text="Eine Antwort darauf.",
        parent=parent,
        root=parent,
        depth=1,
        moderation_reasons=[{"code": "first_comment", "outcome": "hold", "detail": ""}],
    )
    answer = Comment.objects.create(
        article=article,
        name="Dritte",
        email="dritte@example.org",
        text="Zum Bad: teuer.",
        feedback_point=point,
    )
    return parent, reply, answer


def test_a_queue_shows_each_comment_in_its_context(client, moderator, waiting):
    parent, reply, answer = waiting
    services.note_add(comment=reply, actor=moderator, text="Kenne ich, meist sachlich.")
    client.force_login(moderator)
    page = client.get("/admin/comments/comment/desk/?queue=pending")
    assert page.status_code == 200
    text = page.text
    assert reply.article.headline in text
    assert "Der erste Beitrag." in text  # the parent
    assert "Die Stadt baut ein Bad." in text  # the passage
    assert "Erster Kommentar dieser Adresse" in text  # why held
    assert "Kenne ich, meist sachlich." in text  # moderator note
    assert "?email=zweite%40example.org" in text  # author's history
    # Oldest waiting first.
    assert text.index("Eine Antwort darauf.") < text.index("Zum Bad: teuer.")
    assert 'data-count="pending">2<' in text
    # The history link lists the author's other comments.
    history = client.get("/admin/comments/comment/?email=zweite%40example.org")
    assert history.status_code == 200 and "Eine Antwort darauf." in history.text
    assert "<small>erste@example.org</small>" not in history.text


def test_row_actions_without_javascript_come_back_to_the_queue(
    client, moderator, waiting, django_capture_on_commit_callbacks
):
    _parent, reply, answer = waiting
    client.force_login(moderator)
    response = client.post(
        f"/admin/comments/comment/desk/{reply.pk}/approve/", {"queue": "pending"}
    )
    assert response.status_code == 302 and response["Location"].endswith("desk/?queue=pending")
    reply.refresh_from_db()
    assert reply.status == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/comments/comment/desk/{answer.pk}/reject/",
            {"queue": "pending", "ground": "rules_off_topic", "reason": "Nicht zum Thema."},
        )
    answer.refresh_from_db()
    assert answer.status == "rejected"
    assert ModerationDecision.objects.get(comment=answer).ground == "rules_off_topic"
    assert mail.outbox[-1].to == ["dritte@example.org"]  # the statement of reasons
    assert "Nicht zum Thema." in mail.outbox[-1].body


def test_row_actions_answer_json_for_the_script(client, moderator, waiting):
    _parent, reply, answer = waiting
    client.force_login(moderator)
    answer_json = client.post(
        f"/admin/comments/comment/desk/{reply.pk}/spam/", {"queue": "pending"}, headers=JSON
    ).json()
    assert answer_json["ok"] and answer_json["counts"]["pending"] == 1
    assert answer_json["undo_url"].endswith(f"/rueckgaengig/{answer_json['decision']}/")
    bad = client.post(
        f"/admin/comments/comment/desk/{answer.pk}/reject/", {"ground": "insult"}, headers=JSON
    )
    assert bad.status_code == 409 and not bad.json()["ok"]
    banned = client.post(f"/admin/comments/comment/desk/{answer.pk}/ban/", headers=JSON).json()
    assert banned["ok"]
    assert BannedAddress.objects.filter(email="dritte@example.org").exists()
    answer.refresh_from_db()
    assert answer.status == "spam"
    note = client.post(
        f"/admin/comments/comment/desk/{answer.pk}/note/", {"text": "Bot?"}, headers=JSON
    ).json()
    assert note["ok"] and note["note"]["text"] == "Bot?"
    assert AuditEntry.objects.filter(action="comment.note").exists()


def test_counts_are_polled_with_the_newest_waiting_comment(client, moderator, waiting):
    client.force_login(moderator)
    counts = client.get("/admin/comments/comment/desk/counts/").json()
    assert counts["pending"] == 2 and counts["approved"] == 1
    assert counts["newest"] == waiting[2].pk


def test_undo_restores_my_decision_and_lifts_my_ban(client, moderator, waiting):
    _parent, reply, _answer = waiting
    client.force_login(moderator)
    result = client.post(f"/admin/comments/comment/desk/{reply.pk}/ban/", headers=JSON).json()
    page = client.get("/admin/comments/comment/desk/?queue=pending").text
    assert "Zuletzt von mir moderiert" in page and f"/rueckgaengig/{result['decision']}/" in page
    undone = client.post(result["undo_url"], headers=JSON).json()
    assert undone["ok"]
    reply.refresh_from_db()
    assert reply.status == "pending"
    assert not BannedAddress.objects.filter(email="zweite@example.org").exists()
    # Only once, and only one's own.
    assert client.post(result["undo_url"], headers=JSON).status_code == 409


def test_another_moderators_decision_cannot_be_undone_by_me(client, moderator, waiting):
    _parent, reply, _answer = waiting
    other = staff_member("moderation2", "Moderation")
    services.comment_approve(comment=reply, actor=other)
    decision = ModerationDecision.objects.get(comment=reply, kind="approve")
    client.force_login(moderator)
    response = client.post(
        f"/admin/comments/comment/desk/rueckgaengig/{decision.pk}/", headers=JSON
    )
    assert response.status_code == 409


def test_editors_cannot_open_the_desk(client, editor, waiting):
    client.force_login(editor)
    assert client.get("/admin/comments/comment/desk/").status_code == 403
    assert client.post(f"/admin/comments/comment/desk/{waiting[1].pk}/approve/").status_code == 403


def test_the_desk_post_moderates_one_article_even_when_the_site_moderates_first(
    client, moderator, article, conf, post_comment
):
    conf.mode = "pre"
    conf.save()
    client.force_login(moderator)
    client.post(f"/admin/comments/comment/desk/artikel/{article.pk}/diskussion/", {"mode": "post"})
    client.logout()
    post_comment(article, text="Sofort sichtbar, obwohl die Website vorab moderiert.")
    assert Comment.objects.get().status == "approved"
    assert AuditEntry.objects.filter(action="comments.discussion", to_state="post").exists()


def test_pausing_one_article_stops_new_comments_until_it_is_reopened(
    client, moderator, article, conf, post_comment
):
    from comments.services import comments_open

    client.force_login(moderator)
    answer = client.post(
        f"/admin/comments/comment/desk/artikel/{article.pk}/diskussion/",
        {"mode": "paused"},
        headers=JSON,
    ).json()
    assert answer["ok"] and "Pausiert" in answer["message"]
    assert not comments_open(article=article)
    client.logout()
    post_comment(article, text="Kommt nicht an, die Diskussion ruht.")
    assert not Comment.objects.exists()
    client.force_login(moderator)
    client.post(f"/admin/comments/comment/desk/artikel/{article.pk}/diskussion/", {"mode": ""})
    assert comments_open(article=article)


def test_a_ban_records_a_decision_for_each_waiting_comment_of_the_address(moderator, article, conf):
    waiting = [
        Comment.objects.create(article=article, name="X", email="x@example.org", text=f"T{i}")
        for i in range(2)
    ]
    services.ban_address(email="x@example.org", actor=moderator, reason="Spam")
    for comment in waiting:
        comment.refresh_from_db()
        assert comment.status == "spam"
        decision = ModerationDecision.objects.get(comment=comment)
        assert (decision.kind, decision.actor, decision.from_status) == (
            "spam",
            moderator,
            "pending",
        )
