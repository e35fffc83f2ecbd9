"""Writing audit entries (used by every app's services)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.actors import acting_user
from core.models import AuditEntry


def audit_log(
    *,
    actor: Any,
    target: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Store one audit entry. Call inside the service's transaction; no other side effects."""
    return AuditEntry.objects.create(
        actor=acting_user(actor),
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=str(target.pk),
        object_repr=str(target)[:255],
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )
