"""Shareable preview links: a signed, expiring, revocable URL of an unpublished article.

The URL holds ``{"link": id, "article": id}`` signed with the secret key (``Signer``,
salted): nobody can make one up, and the stored ``PreviewLink`` row decides whether
it still works (expiry, revocation). Creating and revoking check the permission, run
in a transaction, write an audit entry and send ``preview_link_changed`` on commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Article, PreviewLink
from articles.services.base import User
from articles.services.permissions import is_own_article
from articles.signals import preview_link_changed
from core.actors import acting_user
from core.audit import audit_log

SALT = "articles.preview-link"
MAX_DAYS = 30


def can_share_preview(user: User, article: Article) -> bool:
    """Whoever may preview the article may share it: editors any, journalists their own."""
    if not (user.is_authenticated and user.is_active and user.has_perm("articles.preview_article")):
        return False
    return user.has_perm("articles.edit_any_article") or is_own_article(user, article)


def _emit(link: PreviewLink, action: str) -> None:
    link_id, article_id = link.pk, link.article_id
    transaction.on_commit(
        lambda: preview_link_changed.send(
            sender=PreviewLink, link_id=link_id, article_id=article_id, action=action
        )
    )


def preview_link_create(*, actor: User, article: Article, days: int = 7) -> PreviewLink:
    """A new preview link of ``article``, valid for ``days`` (1 to 30).

    Side effects: audit entry ``article.preview_link_create``; on commit
    ``preview_link_changed`` (action ``created``).
    """
    if not can_share_preview(actor, article):
        raise PermissionDenied(_("Sie dürfen für diesen Artikel keinen Vorschau-Link anlegen."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            ngettext(
                "Ein Vorschau-Link gilt %(max)s Tag.",
                "Ein Vorschau-Link gilt 1 bis %(max)s Tage.",
                MAX_DAYS,
            ),
            code="days",
            params={"max": MAX_DAYS},
        )
    with transaction.atomic():
        link = PreviewLink.objects.create(
            article=article,
            created_by=acting_user(actor),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_log(
            actor=actor,
            target=article,
            action="article.preview_link_create",
            data={"link": link.pk, "expires_at": link.expires_at.isoformat()},
        )
        _emit(link, "created")
    return link


def preview_link_revoke(*, actor: User, link: PreviewLink) -> PreviewLink:
    """Stop ``link`` from working at once (kept for the record).

    Side effects: audit entry ``article.preview_link_revoke``; on commit
    ``preview_link_changed`` (action ``revoked``). Revoking twice changes nothing.
    """
    if not can_share_preview(actor, link.article):
        raise PermissionDenied(_("Sie dürfen diesen Vorschau-Link nicht zurückziehen."))
    with transaction.atomic():
        link = PreviewLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is not None:
            return link
        link.revoked_at = timezone.now()
        link.revoked_by = acting_user(actor)
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            actor=actor,
            target=link.article,
            action="article.preview_link_revoke",
            data={"link": link.pk},
        )
        _emit(link, "revoked")
    return link


def preview_link_path(link: PreviewLink) -> str:
    """The link's URL path (signed; the same link always gives the same path)."""
    token = signing.Signer(salt=SALT).sign_object(
        {"link": link.pk, "article": link.article_id}, compress=True
    )
    return reverse("shared_preview", kwargs={"token": token})


def preview_link_resolve(token: str) -> PreviewLink | None:
    """The active link behind ``token``; None if forged, expired, revoked or gone. Reads only."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    link_id, article_id = payload.get("link"), payload.get("article")
    if not (isinstance(link_id, int) and isinstance(article_id, int)):
        return None
    link = (
        PreviewLink.objects.select_related("article", "article__section")
        .filter(pk=link_id, article_id=article_id)
        .first()
    )
    if link is None or not link.is_active():
        return None
    return link
