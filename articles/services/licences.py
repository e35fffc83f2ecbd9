"""Agency licences: published agency articles come down when the licence ends; an editor
may extend a licence with a reason.

The licence end is ``Article.objects.with_licence_end()`` (an extension, else the first
publication plus the agency's ``licence_days``). ``agency_licences_expire`` is the
periodic job (``manage.py expire_agency_licences``); ``article_licence_extend`` the
editor's step.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from articles.services.base import Status, User, _emit, _lock, _require
from articles.services.workflow import _transition
from core.audit import audit_log

# How far ahead the desk's list warns ("Lizenz läuft bald ab").
LICENCE_WARNING_DAYS = 7


def licence_end(article: Article) -> datetime | None:
    """When ``article``'s agency licence ends (None: no licence limit). One query."""
    row = Article.objects.with_licence_end().only("pk").get(pk=article.pk)
    return cast(datetime | None, getattr(row, "licence_end"))  # noqa: B009 (an annotation)


def agency_licences_expire(*, at: datetime | None = None, dry_run: bool = False) -> list[Article]:
    """Unpublish every published agency article whose licence ended by ``at`` (default:
    now); returns them. Each in its own transaction, re-checked under the row lock (an
    editor may have extended it meanwhile). No actor (the job): audit entry
    ``article.unpublish`` with the note "Agenturlizenz abgelaufen"; on commit
    ``article_changed`` (the purge). ``dry_run`` changes nothing.
    """
    at = at or timezone.now()
    due = list(Article.objects.licence_ending(before=at).select_related("agency"))
    if dry_run:
        return due
    expired = []
    for article in due:
        with transaction.atomic():
            _lock(article)
            ends = licence_end(article)
            if article.status != Status.PUBLISHED or ends is None or ends >= at:
                continue
            _transition(
                article,
                actor=AnonymousUser(),  # the job: the audit entry names nobody
                action="unpublish",
                to=Status.UNPUBLISHED,
                note=_("Agenturlizenz abgelaufen"),
                data={"licence_end": ends.isoformat(), "agency": str(article.agency or "")},
            )
            expired.append(article)
    return expired


def article_licence_extend(
    *, actor: User, article: Article, until: datetime, reason: str, at: datetime | None = None
) -> Article:
    """Extend ``article``'s agency licence to ``until`` (after the current end and after
    ``at``, default now), with a required reason. Editors (who may publish) only.

    Does not republish an article the job already took down (that is a publish step).
    Side effects: audit entry ``article.licence_extend`` (old and new end, the reason);
    on commit ``article_changed``.
    """
    _require(actor, "articles.publish_article", _("Sie dürfen keine Agenturlizenzen verlängern."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund an."), code="reason_required")
    at = at or timezone.now()
    with transaction.atomic():
        _lock(article)
        if article.agency_id is None:
            raise ValidationError(_("Der Artikel stammt von keiner Agentur."), code="no_agency")
        old_end = licence_end(article)
        if until <= at or (old_end is not None and until <= old_end):
            raise ValidationError(
                _("Das neue Ende muss nach dem bisherigen und in der Zukunft liegen."),
                code="licence_not_later",
            )
        Article.objects.filter(pk=article.pk).update(licence_until=until, updated_at=at)
        article.licence_until = until
        audit_log(
            actor=actor,
            target=article,
            action="article.licence_extend",
            from_state=article.status,
            to_state=article.status,
            note=reason,
            data={"from": old_end.isoformat() if old_end else None, "until": until.isoformat()},
        )
        _emit(article, "licence_extended", article.status, article.status)
    return article
