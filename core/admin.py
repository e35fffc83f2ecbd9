"""Admin pieces every app uses, and the user admin with them.

``KeepUnchangedTimesMixin``: Django's split date/time widget cannot show
microseconds, so an admin form saved without any edit used to truncate every
timestamp made by code (``User.date_joined``, campaigns created by a script)
and log it as a change. Forms of admins with this mixin keep the stored value
of a date-time field the editor did not change. No side effects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

DATE_TIME_FIELDS = (forms.DateTimeField, forms.SplitDateTimeField)


class _KeepUnchangedTimes:
    """Form mixin: an unchanged date-time field keeps its initial (stored) value."""

    fields: dict[str, forms.Field]
    initial: dict[str, Any]
    changed_data: list[str]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, field in self.fields.items():
            if (
                isinstance(field, DATE_TIME_FIELDS)
                and name in cleaned
                and name in self.initial
                and name not in self.changed_data
            ):
                cleaned[name] = self.initial[name]
        return cleaned


class KeepUnchangedTimesMixin:
    """ModelAdmin mixin: its change form keeps unchanged timestamps to the microsecond."""

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        return type(form.__name__, (_KeepUnchangedTimes, form), {})


User = get_user_model()


class NewsroomUserAdmin(KeepUnchangedTimesMixin, UserAdmin):
    """Django's user admin; saving a user unchanged keeps ``date_joined`` and ``last_login``."""


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
