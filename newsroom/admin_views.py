"""Admin pages of the cross-app glue: a staff member's own settings, /en/admin/."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import services
from core.languages import admin_language, preferred_language
from core.models import StaffPreference


class StaffPreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Sprache der Redaktionsoberfläche"),
        choices=StaffPreference.Language.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=StaffPreference._meta.get_field("language").help_text,
    )


def staff_preferences(request: HttpRequest) -> HttpResponse:
    """ "Meine Einstellungen": every staff member chooses their admin language."""
    form = StaffPreferenceForm(
        request.POST or None, initial={"language": preferred_language(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_preference_set(
                actor=request.user, language=form.cleaned_data["language"]
            )
        except ValidationError as error:
            form.add_error("language", error)
        else:
            # The confirmation, and the next page, in the language just chosen.
            translation.activate(admin_language(request))
            messages.success(request, _("Ihre Einstellungen wurden gespeichert."))
            return redirect("admin_preferences")
    context = {
        **admin.site.each_context(request),
        "title": _("Meine Einstellungen"),
        "form": form,
    }
    return TemplateResponse(request, "admin/staff_preferences.html", context)


def admin_in_language(request: HttpRequest, language: str, rest: str = "") -> HttpResponse:
    """``/en/admin/...``: the admin in that language (language cookie), at ``/admin/...``.

    The admin has one address for all languages; a profile setting still wins
    over the cookie (``core.languages``).
    """
    response = HttpResponseRedirect(f"/admin/{rest}")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 60 * 60,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response
