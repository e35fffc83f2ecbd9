"""Shareable preview links: signed, expiring, revocable, for reviewers without an account."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import PreviewLink
from articles.signals import preview_link_changed
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(journalist, section):
    return services.article_create(
        actor=journalist,
        headline="Geheimer Haushaltsentwurf",
        lead="Noch nicht öffentlich.",
        body="<p>Der Entwurf sieht Kürzungen vor.</p>",
        section=section,
    )


def _create_in_admin(client, article, days="7"):
    return client.post(
        reverse("admin:articles_article_preview_link_create", args=[article.pk]),
        {"preview_link_days": days},
    )


def test_editor_shares_a_draft_that_a_stranger_opens_without_an_account(
    client, editor, draft, settings
):
    settings.PAGE_CACHE_ENABLED = True
    client.force_login(editor)
    response = _create_in_admin(client, draft)
    assert response.status_code == 302
    link = PreviewLink.objects.get(article=draft)
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    assert AuditEntry.objects.filter(
        action="article.preview_link_create", object_id=str(draft.pk), actor=editor
    ).exists()
    form = client.get(reverse("admin:articles_article_change", args=[draft.pk])).text
    path = services.preview_link_path(link)
    assert path in form  # the side panel shows the link to copy

    stranger = Client()
    for _attempt in range(2):  # the second request must not come from any cache either
        page = stranger.get(path)
        assert page.status_code == 200
        assert "Geheimer Haushaltsentwurf" in page.text
        assert page["Cache-Control"] == "private, no-store"
        assert "noindex" in page["X-Robots-Tag"]
        assert '<meta name="robots" content="noindex, nofollow">' in page.text
        assert "X-Page-Cache" not in page


def test_a_revoked_link_opens_nothing_at_once(client, editor, draft):
    link = services.preview_link_create(actor=editor, article=draft, days=3)
    path = services.preview_link_path(link)
    assert Client().get(path).status_code == 200
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_preview_link_revoke", args=[draft.pk, link.pk])
    )
    assert response.status_code == 302
    gone = Client().get(path)
    assert gone.status_code == 410
    assert "Geheimer Haushaltsentwurf" not in gone.text
    assert gone["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="article.preview_link_revoke", actor=editor).exists()


def test_an_expired_or_forged_link_opens_nothing(editor, draft):
    link = services.preview_link_create(actor=editor, article=draft, days=1)
    path = services.preview_link_path(link)
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 410
    other = services.preview_link_create(actor=editor, article=draft, days=1)
    token = services.preview_link_path(other).rstrip("/").rsplit("/", 1)[1]
    forged = reverse("shared_preview", kwargs={"token": token[:-2] + "xx"})
    assert Client().get(forged).status_code == 410
    assert Client().get(services.preview_link_path(other)).status_code == 200


def test_journalists_share_their_own_drafts_only(journalist, other_journalist, draft, client):
    assert services.preview_link_create(actor=journalist, article=draft, days=1)
    with pytest.raises(PermissionDenied):
        services.preview_link_create(actor=other_journalist, article=draft, days=1)
    client.force_login(other_journalist)
    assert _create_in_admin(client, draft).status_code == 403
    assert PreviewLink.objects.count() == 1


def test_people_without_the_preview_right_cannot_share(moderator, draft):
    with pytest.raises(PermissionDenied):
        services.preview_link_create(actor=moderator, article=draft, days=1)


def test_a_link_lives_one_to_thirty_days(client, editor, draft):
    client.force_login(editor)
    response = _create_in_admin(client, draft, days="90")
    assert response.status_code == 302
    assert not PreviewLink.objects.exists()


def test_creating_and_revoking_signal_after_commit(
    editor, draft, django_capture_on_commit_callbacks
):
    received = []

    def handler(**kwargs):
        received.append(kwargs["action"])

    preview_link_changed.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            link = services.preview_link_create(actor=editor, article=draft, days=1)
        with django_capture_on_commit_callbacks(execute=True):
            services.preview_link_revoke(actor=editor, link=link)
    finally:
        preview_link_changed.disconnect(handler)
    assert received == ["created", "revoked"]
