"""One service runs a workflow step named by its action: ``services.article_transition``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article
from core.models import AuditEntry
from tests.factories import ArticleFactory

S = Article.Status

# action -> (from-state, data, to-state)
STEPS = {
    "submit": (S.DRAFT, {"note": "Bitte lesen"}, S.REVIEW),
    "publish": (S.REVIEW, {"note": "Gut so"}, S.PUBLISHED),
    "unpublish": (S.PUBLISHED, {"note": "Rechtsfrage"}, S.UNPUBLISHED),
    "archive": (S.PUBLISHED, {"note": "Alt"}, S.ARCHIVED),
    "send_back": (S.REVIEW, {"note": "Quelle fehlt"}, S.DRAFT),
    "restore_from_archive": (S.ARCHIVED, {"note": "Wieder da"}, S.DRAFT),
}


def test_every_workflow_action_has_a_step_here():
    assert set(STEPS) == set(services.TRANSITIONS)


@pytest.mark.parametrize("action", list(STEPS))
def test_each_action_runs_its_service_with_the_note(editor, action):
    from_state, data, to_state = STEPS[action]
    article = ArticleFactory(status=from_state, created_by=editor)

    result = services.article_transition(actor=editor, article=article, action=action, data=data)

    article.refresh_from_db()
    assert result.pk == article.pk and article.status == to_state
    entry = AuditEntry.objects.get(action=f"article.{action}", object_id=str(article.pk))
    assert entry.note == data["note"]
    assert (entry.from_state, entry.to_state) == (from_state, to_state)


def test_publish_passes_go_live_and_expiry_to_the_service(editor):
    article = ArticleFactory(status=S.REVIEW)
    go_live = timezone.now() + timedelta(hours=2)
    expires = go_live + timedelta(days=3)

    services.article_transition(
        actor=editor,
        article=article,
        action="publish",
        data={"go_live_at": go_live, "expires_at": expires},
    )

    article.refresh_from_db()
    assert (article.go_live_at, article.expires_at) == (go_live, expires)
    assert Article.objects.scheduled().filter(pk=article.pk).exists()


def test_send_back_without_a_reason_is_refused_like_the_service(editor):
    article = ArticleFactory(status=S.REVIEW)
    with pytest.raises(services.ValidationError):
        services.article_transition(actor=editor, article=article, action="send_back", data={})
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_the_service_checks_the_permission(journalist):
    article = ArticleFactory(status=S.REVIEW)
    with pytest.raises(services.PermissionDenied):
        services.article_transition(actor=journalist, article=article, action="publish")
    article.refresh_from_db()
    assert article.status == S.REVIEW


@pytest.mark.parametrize("action", ["delete", "", "Publish", "restore"])
def test_an_unknown_action_raises_a_clear_error_and_changes_nothing(editor, action):
    article = ArticleFactory(status=S.REVIEW)
    with pytest.raises(services.UnknownTransition, match="Unknown workflow action") as raised:
        services.article_transition(actor=editor, article=article, action=action, data={})
    assert raised.value.action == action
    article.refresh_from_db()
    assert article.status == S.REVIEW
    assert (
        not AuditEntry.objects.filter(object_id=str(article.pk))
        .exclude(action="article.create")
        .exists()
    )


def test_the_admin_answers_404_for_an_unknown_action(client, editor):
    article = ArticleFactory(status=S.REVIEW)
    client.force_login(editor)
    response = client.post(f"/admin/articles/article/{article.pk}/arbeitsschritt/loeschen/")
    assert response.status_code == 404
