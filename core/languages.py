"""Which language the admin and staff mails speak, per person.

The reader site's language comes from its URL alone (``i18n_patterns``). The
admin has one URL for everybody, so its language is the editor's choice: the
profile setting (``StaffPreference.language``) if set, else the language
cookie (``/en/admin/`` sets it), else the browser's ``Accept-Language``, else
German (``LANGUAGE_CODE``). Mails to staff use the profile setting or German.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from core.models import StaffPreference


def preferred_language(user: Any) -> str:
    """The user's own choice (``""`` when they left it to their browser)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    language = (
        StaffPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return language if language in dict(settings.LANGUAGES) else ""


def admin_language(request: HttpRequest) -> str:
    """The language of an admin page for this request (see the module docstring)."""
    return preferred_language(getattr(request, "user", None)) or (
        translation.get_language_from_request(request, check_path=False)
    )


def mail_language(user: Any) -> str:
    """The language of a mail to this staff member."""
    return preferred_language(user) or settings.LANGUAGE_CODE
