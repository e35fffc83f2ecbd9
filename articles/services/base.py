"""What the article services share: the actor type, the errors, the row lock and the signal.

No side effects of its own; ``_emit`` defers ``article_changed`` to ``on_commit``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from articles.models import Article
from articles.signals import article_changed

User = AuthUser | AnonymousUser
Status = Article.Status


class WorkflowError(ValidationError):
    """A transition that is not possible from the article's current state."""


class EditConflict(ValidationError):
    """Someone else saved the article after the editor opened it."""

    def __init__(self, *, article: Article, changed_by: Any, expected_version: int):
        self.article = article
        self.changed_by = changed_by
        self.expected_version = expected_version
        self.current_version = article.version
        name = _display_name(changed_by) if changed_by else _("jemand anderes")
        super().__init__(
            _(
                "%(name)s hat den Artikel gespeichert, nachdem Sie ihn geöffnet haben "
                "(Version %(theirs)s, Sie bearbeiteten Version %(yours)s). Ihre Änderungen "
                "wurden nicht gespeichert, sind aber unten noch im Formular."
            ),
            code="edit_conflict",
            params={"name": name, "theirs": article.version, "yours": expected_version},
        )

    @property
    def diff_url(self) -> str:
        return (
            reverse("admin:articles_article_revision_compare", args=[self.article.pk])
            + f"?von={self.expected_version}&bis={self.current_version}"
        )


def _display_name(user: AuthUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _require(user: User, perm: str, message: str) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


WORKFLOW_STATE_FIELDS = (
    "status",
    "go_live_at",
    "expires_at",
    "first_published_at",
    "licence_until",  # only services.article_licence_extend sets it
)


def _lock(article: Article) -> Article:
    """Re-read ``article`` under a row lock; copies the workflow fields onto it."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    for field in (*WORKFLOW_STATE_FIELDS, "version"):
        setattr(article, field, getattr(current, field))
    article.updated_by_id = current.updated_by_id
    return current


def _emit(article: Article, action: str, from_state: str, to_state: str) -> None:
    article_id = article.pk

    def send() -> None:
        article_changed.send(
            sender=Article,
            article_id=article_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
        )

    transaction.on_commit(send)
