"""The site-wide moderation settings and the desk's setting for one article's
discussion, changed with an audit entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments.models import ArticleDiscussion, ModerationSettings
from core.actors import acting_user
from core.audit import audit_log


def moderation_settings_update(*, conf: ModerationSettings, actor: Any) -> ModerationSettings:
    """Store changed moderation settings (``conf`` carries the new values, unsaved).

    Audit entry ``comment.settings_changed`` with each changed field's old and new
    value; nothing is written when nothing changed. The cached settings row is
    forgotten by the model's post_save handler, so the next comment sees the change.
    """
    conf.full_clean()
    with transaction.atomic():
        stored = ModerationSettings.objects.select_for_update().filter(pk=conf.pk).first()
        changes = {}
        for model_field in ModerationSettings._meta.concrete_fields:
            if model_field.primary_key:
                continue
            before = getattr(stored, model_field.attname) if stored is not None else None
            after = getattr(conf, model_field.attname)
            if stored is None or before != after:
                changes[model_field.name] = {"from": before, "to": after}
        if stored is not None and not changes:
            return conf
        conf.save()
        audit_log(
            actor=actor, target=conf, action="comment.settings_changed", data={"changes": changes}
        )
    return conf


def article_discussion_set(*, article: Article, mode: str, actor: Any) -> ArticleDiscussion | None:
    """The desk's setting for one article's discussion (``mode`` from
    ``ArticleDiscussion.Mode``, or "" to follow the site and article settings again).

    Audit entry on the article. On commit (``newsroom.purges``): the cached settings
    are dropped and the article's pages purged, so the form opens or closes.
    """
    if mode and mode not in ArticleDiscussion.Mode.values:
        raise ValidationError(_("Unbekannte Einstellung."))
    with transaction.atomic():
        current = ArticleDiscussion.objects.select_for_update().filter(article=article).first()
        before = current.mode if current else ""
        if not mode:
            if current is not None:
                current.delete()
            result = None
        else:
            result, _created = ArticleDiscussion.objects.update_or_create(
                article=article,
                defaults={"mode": mode, "set_by": acting_user(actor), "set_at": timezone.now()},
            )
        audit_log(
            actor=actor,
            target=article,
            action="comments.discussion",
            from_state=before,
            to_state=mode,
        )
    return result
