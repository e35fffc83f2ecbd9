"""Autosave: the change form as its editor left it, stored in the background.

Kept apart from the revisions (one row per person and article, overwritten each
time), so the history is not flooded. Restoring only refills the form: the save
that follows is an ordinary ``article_update`` with the version the form was
opened at, so the edit-conflict check refuses to overwrite someone else's save.

Audit entries are written when an editing session starts autosaving (the row is
created) and when a draft is discarded, not for every background save (every
15 seconds would bury the log). No signal: readers see nothing of an autosave.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles.models import Article, ArticleAutosave
from articles.services.base import User
from articles.services.permissions import can_edit
from core.actors import acting_user
from core.audit import audit_log

# The form fields an autosave keeps and restores: the text an editor types.
AUTOSAVE_FIELDS = (
    "kicker",
    "headline",
    "slug",
    "lead",
    "body",
    "dateline",
    "tags",
    "meta_description",
    "social_title",
)
MAX_FIELD_LENGTH = 200_000


def _clean(data: Mapping[str, Any]) -> dict[str, str]:
    cleaned = {}
    for name in AUTOSAVE_FIELDS:
        value = data.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH or "\x00" in value:
            raise ValidationError(_("Ungültiger Inhalt im Feld %(field)s."), params={"field": name})
        cleaned[name] = value
    return cleaned


def autosave_store(
    *, actor: User, article: Article, base_version: int, data: Mapping[str, Any]
) -> ArticleAutosave:
    """Store ``actor``'s form of ``article`` (fields of ``AUTOSAVE_FIELDS`` only).

    ``base_version`` is the article version the form was opened at. Same permission
    as editing. Side effects: an audit entry when the row is created; none otherwise.
    """
    if not can_edit(actor, article):
        raise PermissionDenied(_("Sie dürfen diesen Artikel nicht bearbeiten."))
    fields = _clean(data)
    with transaction.atomic():
        autosave, created = ArticleAutosave.objects.update_or_create(
            article=article,
            user=acting_user(actor),
            defaults={"base_version": base_version, "data": fields},
        )
        if created:
            audit_log(
                actor=actor,
                target=article,
                action="article.autosave_start",
                data={"base_version": base_version},
            )
    return autosave


def autosave_discard(*, actor: User, article: Article) -> bool:
    """Delete ``actor``'s autosave of ``article``; True if there was one.

    Side effects: audit entry ``article.autosave_discard`` when one was deleted.
    """
    if not actor.is_authenticated:
        raise PermissionDenied(_("Bitte melden Sie sich an."))
    with transaction.atomic():
        deleted, _rows = ArticleAutosave.objects.filter(article=article, user=actor).delete()
        if deleted:
            audit_log(actor=actor, target=article, action="article.autosave_discard")
    return bool(deleted)


def autosave_for(*, user: User, article: Article) -> ArticleAutosave | None:
    """``user``'s autosave of ``article`` if it differs from the saved article. Reads only."""
    if not user.is_authenticated:
        return None
    autosave = ArticleAutosave.objects.filter(article=article, user=user).first()
    if autosave is None:
        return None
    saved = {name: _current_value(article, name) for name in autosave.data}
    if all(saved[name] == value for name, value in autosave.data.items()):
        return None
    return autosave


def _current_value(article: Article, name: str) -> str:
    if name == "tags":
        return ", ".join(sorted(article.tags.names())) if article.pk else ""
    return str(getattr(article, name, "") or "")
