"""Writes of the cross-app glue: a staff member's own settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.models import StaffPreference


def staff_preference_set(*, actor: Any, language: str) -> StaffPreference:
    """Store the admin (and mail) language ``actor`` chose for themselves.

    ``""`` leaves it to the browser. Only staff members, only their own
    setting. Side effect: an audit entry.
    """
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Nur Mitarbeiter der Redaktion haben diese Einstellung."))
    if language not in StaffPreference.Language.values:
        raise ValidationError(_("Diese Sprache gibt es nicht."), code="language")
    with transaction.atomic():
        preference, _created = StaffPreference.objects.select_for_update().get_or_create(user=actor)
        before = preference.language
        preference.language = language
        preference.full_clean()
        preference.save()
        audit_log(
            actor=actor,
            target=preference,
            action="staff_preference.update",
            from_state=before,
            to_state=language,
        )
    return preference
