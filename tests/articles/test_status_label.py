"""The status column of the article admin says what readers see, by the one definition of
"published" (``Article.objects.published()``), also at the go-live and expiry instants."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

S = Article.Status
TICK = timedelta(microseconds=1)


def _state(article, at):
    return (
        Article.objects.with_reader_state(at=at)
        .values_list("reader_state", flat=True)
        .get(pk=article.pk)
    )


def test_the_reader_state_follows_published_at_the_go_live_and_expiry_instants():
    go_live = timezone.now().replace(microsecond=0) + timedelta(days=1)
    expires = go_live + timedelta(days=2)
    article = ArticleFactory(status=S.PUBLISHED, go_live_at=go_live, expires_at=expires)

    expected = {
        go_live - TICK: "scheduled",
        go_live: "visible",
        expires - TICK: "visible",
        expires: "expired",
    }
    for at, state in expected.items():
        assert _state(article, at) == state, at
        visible = Article.objects.published(at=at).filter(pk=article.pk).exists()
        assert visible == (state == "visible"), at


def _labels(user):
    model_admin = admin.site._registry[Article]
    request = RequestFactory().get("/admin/articles/article/")
    request.user = user
    return {a.headline: str(model_admin.status_label(a)) for a in model_admin.get_queryset(request)}


def test_the_changelist_labels_scheduled_expired_and_live_articles(editor):
    now = timezone.now()
    ArticleFactory(headline="live", published=True)
    ArticleFactory(headline="planned", status=S.PUBLISHED, go_live_at=now + timedelta(minutes=1))
    ArticleFactory(
        headline="over",
        status=S.PUBLISHED,
        go_live_at=now - timedelta(days=2),
        expires_at=now - timedelta(seconds=1),
    )
    ArticleFactory(headline="draft")

    assert _labels(editor) == {
        "live": "Veröffentlicht",
        "planned": "Geplant",
        "over": "Abgelaufen",
        "draft": "Entwurf",
    }


def test_a_published_article_without_go_live_time_is_not_labelled_published(editor):
    # Readers never see it (published() needs a go-live time); the column said
    # "Veröffentlicht" because it compared the dates itself.
    article = ArticleFactory(headline="ohne Zeit", status=S.PUBLISHED, go_live_at=None)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert _labels(editor) == {"ohne Zeit": "Nicht sichtbar (ohne Veröffentlichungszeit)"}


def test_the_change_form_shows_the_same_label(client, editor):
    article = ArticleFactory(
        status=S.PUBLISHED, go_live_at=timezone.now() + timedelta(hours=5), headline="Später"
    )
    client.force_login(editor)
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    assert response.context["article_status"] == "Geplant"


def test_the_label_of_an_article_loaded_elsewhere_uses_the_same_rule(editor):
    article = ArticleFactory(
        status=S.PUBLISHED,
        go_live_at=timezone.now() - timedelta(days=3),
        expires_at=timezone.now() - timedelta(days=1),
    )
    plain = Article.objects.get(pk=article.pk)  # no reader_state annotation
    assert str(admin.site._registry[Article].status_label(plain)) == "Abgelaufen"
