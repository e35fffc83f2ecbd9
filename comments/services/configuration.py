"""The site-wide moderation settings, changed with an audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from comments.models import ModerationSettings
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
