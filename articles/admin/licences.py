"""Agency licences in the article admin: the desk's "läuft bald ab" filter (with the
licence end as a column while it is on), the licence line on the change form and the
editor's extension with a reason (``services.licences.article_licence_extend``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin.base import ArticleAdminBase
from articles.models import Article
from articles.services import licences


class LicenceFilter(admin.SimpleListFilter):
    """Published agency articles by when their licence ends."""

    title = _("Agenturlizenz")
    parameter_name = "lizenz"

    def lookups(self, request, model_admin):
        return [
            (
                "bald",
                ngettext(
                    "läuft bald ab (%(days)s Tag)",
                    "läuft bald ab (%(days)s Tage)",
                    licences.LICENCE_WARNING_DAYS,
                )
                % {"days": licences.LICENCE_WARNING_DAYS},
            ),
            ("abgelaufen", _("abgelaufen, noch online")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "bald":
            soon = now + timedelta(days=licences.LICENCE_WARNING_DAYS)
            return queryset.licence_ending(before=soon).filter(licence_end__gte=now)
        if self.value() == "abgelaufen":
            return queryset.licence_ending(before=now)
        return queryset


class LicenceExtendForm(forms.Form):
    until = forms.SplitDateTimeField(
        label=_("Neues Lizenzende"),
        widget=AdminSplitDateTime,
        help_text=_("Zeit der Redaktion (Berlin)."),
    )
    reason = forms.CharField(
        label=_("Grund"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


def _when(value: Any) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


class ArticleLicenceViews(ArticleAdminBase):
    """Mixed into ``ArticleAdmin``: its URL comes before the admin's own."""

    def get_urls(self):
        return [
            path(
                "<int:pk>/lizenz/verlaengern/",
                self.admin_site.admin_view(self.licence_extend_view),
                name="articles_article_licence_extend",
            ),
            *super().get_urls(),
        ]

    def get_list_filter(self, request):
        # Right after the quick filter: the tag list below can run for pages.
        filters = list(super().get_list_filter(request))
        return [*filters[:1], LicenceFilter, *filters[1:]]

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if request.GET.get(LicenceFilter.parameter_name):
            columns.append("licence_end_label")
        return columns

    @staticmethod
    def _licence_field(request) -> str:
        # Editors see the line with the "verlängern" link (the admin has no request there).
        if request.user.has_perm("articles.publish_article"):
            return "licence_label_with_link"
        return "licence_label"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), self._licence_field(request)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.agency_id is None:
            return fieldsets
        # Below the agency it belongs to (a copy: the class attribute stays as it is).
        licence_field = self._licence_field(request)
        result = []
        for name, options in fieldsets:
            fields = list(options.get("fields", []))
            if "agency" in fields and licence_field not in fields:
                fields.insert(fields.index("agency") + 1, licence_field)
            result.append((name, {**options, "fields": fields}))
        return result

    @admin.display(description=_("Lizenzende"))
    def licence_end_label(self, obj: Article) -> str:
        end = getattr(obj, "licence_end", None)
        return _when(end) if end else "–"

    @admin.display(description=_("Agenturlizenz"))
    def licence_label(self, obj: Article) -> str:
        end = licences.licence_end(obj) if obj is not None and obj.pk else None
        if end is None:
            return str(_("unbegrenzt"))
        text = _("bis %(when)s") % {"when": _when(end)}
        if end <= timezone.now():
            return str(_("abgelaufen: %(text)s") % {"text": text})
        if end <= timezone.now() + timedelta(days=licences.LICENCE_WARNING_DAYS):
            return str(_("läuft bald ab: %(text)s") % {"text": text})
        return str(text)

    @admin.display(description=_("Agenturlizenz"))
    def licence_label_with_link(self, obj: Article) -> str:
        url = reverse("admin:articles_article_licence_extend", args=[obj.pk])
        return format_html(
            '{} · <a href="{}">{}</a>', self.licence_label(obj), url, _("verlängern")
        )

    def licence_extend_view(self, request, pk):
        article = self._get_visible(request, pk)
        if not request.user.has_perm("articles.publish_article"):
            raise PermissionDenied
        form = LicenceExtendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                licences.article_licence_extend(
                    actor=request.user,
                    article=article,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Agenturlizenz von „%(headline)s“ verlängert bis %(when)s.")
                    % {"headline": article.headline, "when": _when(form.cleaned_data["until"])},
                )
                return redirect("admin:articles_article_change", article.pk)
        end = licences.licence_end(article)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Agenturlizenz verlängern"),
            "licence_end": _when(end) if end else _("unbegrenzt"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/licence_extend.html", context)
