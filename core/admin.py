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
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

DATE_TIME_FIELDS = (forms.DateTimeField, forms.SplitDateTimeField)


def person_display(model: type[models.Model], field: str) -> Any:
    """A read-only display of the user in ``model.field`` ("Angelegt von"): the user's
    name as plain text. Django shows a read-only foreign key as a link to its change page,
    and only superusers may open the user admin: the journalist, the desk and the
    moderators were linked to a 403 (``tests/newsroom/test_admin_hidden_objects.py``
    follows every link of every change page for every role)."""

    @admin.display(description=model._meta.get_field(field).verbose_name)  # type: ignore[union-attr]
    def shown(self: Any, obj: Any) -> str | None:
        user = getattr(obj, field)
        return str(user) if user is not None else None  # None: the admin's "-"

    return shown


class KeepUnchangedTimes:
    """Form mixin: an unchanged date-time field keeps its initial (stored) value (the
    split widget shows seconds; the stored time has microseconds)."""

    fields: dict[str, forms.Field]
    initial: Any  # the form's (a mapping)
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
        return type(form.__name__, (KeepUnchangedTimes, form), {})


class ExplainsHiddenObjectsMixin:
    """ModelAdmin mixin: an object the user may not see is not said to be missing.

    An admin whose ``get_queryset`` hides some rows from a role (a journalist sees her
    own articles only) made Django answer a colleague's article's URL with "… mit ID
    „36“ existiert nicht. Eventuell gelöscht?". When the row exists, the user lands on
    the list (or the admin index) with a message that says she may not open it and,
    through ``hidden_object_reason``, why. An id that really is missing keeps Django's
    message. (Django calls ``_get_obj_does_not_exist_redirect`` from the change,
    delete and history views.)
    """

    model: Any
    admin_site: Any

    def hidden_object_reason(self, request: HttpRequest, obj: Any) -> str:
        return gettext("Sie dürfen „%(name)s“ mit ID „%(key)s“ nicht öffnen.") % {
            "name": self.model._meta.verbose_name,
            "key": obj.pk,
        }

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        try:
            obj = self.model._default_manager.filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            obj = None
        if obj is None:
            answer: HttpResponse = super()._get_obj_does_not_exist_redirect(  # type: ignore[misc]
                request, opts, object_id
            )
            return answer
        messages.error(request, self.hidden_object_reason(request, obj))
        if self.has_view_permission(request):  # type: ignore[attr-defined]
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        else:
            url = reverse("admin:index", current_app=self.admin_site.name)
        return HttpResponseRedirect(url)


User = get_user_model()


class NewsroomUserAdmin(KeepUnchangedTimesMixin, UserAdmin):
    """Django's user admin; saving a user unchanged keeps ``date_joined`` and ``last_login``."""


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, NewsroomUserAdmin)
