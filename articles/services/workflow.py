"""Workflow steps: submit, publish (now or scheduled), unpublish, archive, send back,
restore from the archive, and ``article_transition``, the one entry point by action name.

Each locks the row, checks permission and from-state, writes an audit entry and, on
commit, sends ``article_changed`` and (for some steps) a mail as a background task.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.publish_checks import run_publish_checks
from articles.services.base import Status, User, WorkflowError, _emit, _lock, _require
from articles.services.permissions import TRANSITIONS, can_submit
from core.audit import audit_log


def _check_from_state(article: Article, action: str) -> None:
    from_states, _perm = TRANSITIONS[action]
    if article.status not in from_states:
        raise WorkflowError(
            _("„%(action)s“ ist im Status „%(status)s“ nicht möglich."),
            code="invalid_transition",
            params={"action": ACTION_LABELS[action], "status": article.get_status_display()},
        )


EMITTED_ACTIONS = {
    "submit": "submitted",
    "publish": "published",
    "unpublish": "unpublished",
    "archive": "archived",
    "send_back": "sent_back",
    "restore_from_archive": "restored_from_archive",
}

# Lazy: shown in the admin in each editor's language, not in the one of import time.
ACTION_LABELS = {
    "submit": gettext_lazy("Zur Prüfung einreichen"),
    "publish": gettext_lazy("Veröffentlichen"),
    "unpublish": gettext_lazy("Zurückziehen"),
    "archive": gettext_lazy("Archivieren"),
    "send_back": gettext_lazy("Zurückweisen"),
    "restore_from_archive": gettext_lazy("Aus dem Archiv zurückholen"),
}


def _notify(
    article: Article,
    *,
    action: str,
    actor: User,
    note: str = "",
    go_live_at: datetime | None = None,
) -> None:
    from articles.tasks import send_workflow_notification

    article_id, actor_id = article.pk, getattr(actor, "pk", None)
    # The go-live time of this step, not whatever the article has when the mail goes out.
    go_live = go_live_at.isoformat() if go_live_at else None
    transaction.on_commit(
        lambda: send_workflow_notification.enqueue(
            article_id=article_id, action=action, actor_id=actor_id, note=note, go_live_at=go_live
        )
    )


def article_submit(
    *, actor: User, article: Article, note: str = "", target_at: datetime | None = None
) -> Article:
    """Draft → In review. Journalists (own drafts) and editors.

    ``target_at`` is the go-live time the author aims at (kept in the audit entry;
    the planning view shows the article there). Side effects: audit entry; on commit
    ``article_changed`` and a mail to the Chef vom Dienst group (background task).
    """
    with transaction.atomic():
        _lock(article)
        if not can_submit(actor, article):
            if article.status != Status.DRAFT:
                _check_from_state(article, "submit")
            raise PermissionDenied(_("Sie dürfen diesen Artikel nicht einreichen."))
        return _transition(
            article,
            actor=actor,
            action="submit",
            to=Status.REVIEW,
            note=note,
            data={"target_at": target_at.isoformat()} if target_at else None,
        )


def article_publish(
    *,
    actor: User,
    article: Article,
    go_live_at: datetime | None = None,
    expires_at: datetime | None = None,
    note: str = "",
) -> Article:
    """Publish now (``go_live_at`` empty or past) or schedule (``go_live_at`` in the future).

    Editors only. Keeps the first publication date. Refuses (``ValidationError``,
    code ``publish_check``) while a check named in ``PUBLISH_BLOCKING_CHECKS`` finds
    a problem in the saved article. Side effects: audit entry; on commit
    ``article_changed`` and a mail to the authors.
    """
    _require(actor, "articles.publish_article", _("Sie dürfen keine Artikel veröffentlichen."))
    now = timezone.now()
    go_live_at = go_live_at or now
    if expires_at is not None and expires_at <= go_live_at:
        raise ValidationError(
            _("Der Ablauf muss nach dem Veröffentlichungszeitpunkt liegen."), code="expiry"
        )
    with transaction.atomic():
        current = _lock(article)
        _check_from_state(article, "publish")
        _refuse_blocking_findings(current)
        article.go_live_at = go_live_at
        article.expires_at = expires_at
        if article.first_published_at is None:
            article.first_published_at = go_live_at
        scheduled = go_live_at > now
        return _transition(
            article,
            actor=actor,
            action="publish",
            to=Status.PUBLISHED,
            note=note,
            extra_fields=["go_live_at", "expires_at", "first_published_at"],
            data={"go_live_at": go_live_at.isoformat(), "scheduled": scheduled},
        )


def _refuse_blocking_findings(article: Article) -> None:
    blocking = [finding.message for finding in run_publish_checks(article) if finding.blocking]
    if blocking:
        raise ValidationError(
            [_("Vor dem Veröffentlichen beheben: %(problem)s") % {"problem": m} for m in blocking],
            code="publish_check",
        )


def article_reschedule(
    *, actor: User, article: Article, go_live_at: datetime, note: str = ""
) -> Article:
    """Move a scheduled article (published, go-live ahead) to another go-live time.

    Editors only (publish right); the new time must be in the future and before the
    expiry. From the planning view. Side effects: audit entry (old and new time); on
    commit ``article_changed`` (action ``rescheduled``) so cached pages expire on time.
    """
    _require(actor, "articles.publish_article", _("Sie dürfen keine Artikel planen."))
    now = timezone.now()
    if go_live_at <= now:
        raise ValidationError(
            _("Der neue Zeitpunkt muss in der Zukunft liegen."), code="reschedule_past"
        )
    with transaction.atomic():
        _lock(article)
        if not (
            article.status == Status.PUBLISHED and article.go_live_at and article.go_live_at > now
        ):
            raise WorkflowError(
                _("Nur geplante Artikel lassen sich verschieben."), code="not_scheduled"
            )
        if article.expires_at is not None and article.expires_at <= go_live_at:
            raise ValidationError(
                _("Der Ablauf muss nach dem Veröffentlichungszeitpunkt liegen."), code="expiry"
            )
        old = article.go_live_at
        article.go_live_at = go_live_at
        if article.first_published_at == old:
            article.first_published_at = go_live_at
        Article.objects.filter(pk=article.pk).update(
            go_live_at=go_live_at, first_published_at=article.first_published_at, updated_at=now
        )
        audit_log(
            actor=actor,
            target=article,
            action="article.reschedule",
            from_state=article.status,
            to_state=article.status,
            note=note,
            data={"from": old.isoformat(), "to": go_live_at.isoformat()},
        )
        _emit(article, "rescheduled", article.status, article.status)
    return article


def article_unpublish(*, actor: User, article: Article, note: str = "") -> Article:
    """Published → Unpublished (readers no longer see it). Editors only.

    Side effects: audit entry; on commit ``article_changed``.
    """
    _require(actor, "articles.unpublish_article", _("Sie dürfen keine Artikel zurückziehen."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "unpublish")
        return _transition(
            article, actor=actor, action="unpublish", to=Status.UNPUBLISHED, note=note
        )


def article_archive(*, actor: User, article: Article, note: str = "") -> Article:
    """Any state → Archived. Editors only. Side effects: audit entry; ``article_changed``."""
    _require(actor, "articles.archive_article", _("Sie dürfen keine Artikel archivieren."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "archive")
        return _transition(article, actor=actor, action="archive", to=Status.ARCHIVED, note=note)


def article_send_back(*, actor: User, article: Article, reason: str) -> Article:
    """In review → Draft with a required reason. Editors only.

    Side effects: audit entry with the reason; on commit ``article_changed``
    and a mail with the reason to the authors.
    """
    _require(actor, "articles.reject_article", _("Sie dürfen keine Artikel zurückweisen."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund an."), code="reason_required")
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "send_back")
        return _transition(article, actor=actor, action="send_back", to=Status.DRAFT, note=reason)


def article_restore_from_archive(*, actor: User, article: Article, note: str = "") -> Article:
    """Archived → Draft: the article comes back to the desk, not to readers.

    Whoever may archive (editors) may restore; publishing again takes the usual
    steps. Status only: content, revisions and the first publication date stay.
    Side effects: audit entry (with the note); on commit ``article_changed``
    (action ``restored_from_archive``).
    """
    _require(actor, "articles.archive_article", _("Sie dürfen keine Artikel aus dem Archiv holen."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "restore_from_archive")
        return _transition(
            article, actor=actor, action="restore_from_archive", to=Status.DRAFT, note=note
        )


class UnknownTransition(ValueError):
    """``article_transition`` was asked for an action that is not a workflow step."""

    def __init__(self, action: str):
        super().__init__(
            f"Unknown workflow action {action!r}; expected one of {', '.join(TRANSITIONS)}."
        )
        self.action = action


def article_transition(
    *, actor: User, article: Article, action: str, data: Mapping[str, Any] | None = None
) -> Article:
    """Run the workflow step ``action`` (a key of ``TRANSITIONS``) on ``article``.

    One entry point for every caller that names a step by its action (the change
    form's workflow panel, the confirmation page, the bulk actions): it dispatches
    to the step's service (``article_submit``, ``article_publish``,
    ``article_unpublish``, ``article_archive``, ``article_send_back``,
    ``article_restore_from_archive``), which checks the permission and the from-state
    and has the side effects named there (audit entry; on commit ``article_changed``
    and, for some steps, a mail). ``data`` holds the step form's values: ``note``
    (the reason for ``send_back``), for ``submit`` ``target_at``, and for ``publish``
    ``go_live_at`` and ``expires_at``. Raises ``UnknownTransition`` for any other action (the admin
    answers 404), ``PermissionDenied`` or ``ValidationError`` from the service.
    """
    data = data or {}
    note = data.get("note", "") or ""
    if action == "submit":
        return article_submit(
            actor=actor, article=article, note=note, target_at=data.get("target_at")
        )
    if action == "publish":
        return article_publish(
            actor=actor,
            article=article,
            go_live_at=data.get("go_live_at"),
            expires_at=data.get("expires_at"),
            note=note,
        )
    if action == "unpublish":
        return article_unpublish(actor=actor, article=article, note=note)
    if action == "archive":
        return article_archive(actor=actor, article=article, note=note)
    if action == "send_back":
        return article_send_back(actor=actor, article=article, reason=note)
    if action == "restore_from_archive":
        return article_restore_from_archive(actor=actor, article=article, note=note)
    raise UnknownTransition(action)


def _transition(
    article: Article,
    *,
    actor: User,
    action: str,
    to: str,
    note: str,
    extra_fields: list[str] | None = None,
    data: dict | None = None,
) -> Article:
    from_state = article.status
    article.status = to
    # update_fields: a transition never writes content an editor may be editing.
    Article.objects.filter(pk=article.pk).update(
        status=to,
        updated_at=timezone.now(),
        **{field: getattr(article, field) for field in extra_fields or []},
    )
    audit_log(
        actor=actor,
        target=article,
        action=f"article.{action}",
        from_state=from_state,
        to_state=to,
        note=note,
        data=data,
    )
    _emit(article, EMITTED_ACTIONS[action], from_state, to)
    if action in {"submit", "publish", "send_back"}:
        _notify(
            article,
            action=action,
            actor=actor,
            note=note,
            go_live_at=article.go_live_at if action == "publish" else None,
        )
    return article
