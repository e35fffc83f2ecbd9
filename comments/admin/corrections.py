"""The editors' queue of readers' error reports ("Fehler melden").

Not part of the moderation desk: editors (``comments.change_errorreport``) see it,
moderators do not. A report is turned into a published correction of its article
or dismissed, through ``comments.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.models import ErrorReport


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text der Korrektur"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}),
        help_text=_("Erscheint datiert unter dem Artikel und in seinen strukturierten Daten."),
    )


class OpenFirstFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ErrorReport.Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "article_link", "passage_excerpt", "text_excerpt", "status"]
    list_display_links = ["text_excerpt"]
    list_filter = [OpenFirstFilter, "created_at"]
    list_select_related = ["article"]
    search_fields = ["text", "passage", "article__headline"]
    change_form_template = "admin/comments/errorreport/change_form.html"
    fields = (
        "article_link",
        "passage",
        "text",
        "name",
        "email",
        "status",
        "created_at",
        "handled_by",
        "handled_at",
        "correction",
    )
    readonly_fields = fields

    def changelist_view(self, request, extra_context=None):
        # The queue opens on the open reports.
        if not request.GET and request.method == "GET":
            return HttpResponseRedirect(f"{request.path}?status=open")
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Read-only page (no save button); the decisions are the buttons below.
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("comments.change_errorreport") or super().has_view_permission(
            request, obj
        )

    @admin.display(description=_("Artikel"), ordering="article__headline")
    def article_link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            obj.article.get_absolute_url(),
            obj.article.headline,
        )

    @admin.display(description=_("Stelle"))
    def passage_excerpt(self, obj):
        return obj.passage[:80] + ("…" if len(obj.passage) > 80 else "") if obj.passage else "—"

    @admin.display(description=_("Was ist falsch?"))
    def text_excerpt(self, obj):
        return obj.text[:120] + ("…" if len(obj.text) > 120 else "")

    def get_urls(self):
        return [
            path(
                "<int:pk>/bearbeiten/<str:action>/",
                self.admin_site.admin_view(self.handle_view),
                name="comments_errorreport_handle",
            ),
            *super().get_urls(),
        ]

    def handle_view(self, request, pk: int, action: str):
        if request.method != "POST" or action not in ("correct", "dismiss"):
            raise PermissionDenied
        if not request.user.has_perm("comments.change_errorreport"):
            raise PermissionDenied
        report = get_object_or_404(ErrorReport, pk=pk)
        try:
            if action == "correct":
                form = CorrectionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Bitte geben Sie den Text der Korrektur an."))
                services.error_report_correct(
                    report=report, actor=request.user, text=form.cleaned_data["text"]
                )
                self.message_user(
                    request,
                    _("Korrektur veröffentlicht; die Meldung ist erledigt."),
                    messages.SUCCESS,
                )
            else:
                services.error_report_dismiss(report=report, actor=request.user)
                self.message_user(request, _("Meldung verworfen."), messages.SUCCESS)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:comments_errorreport_change", args=[pk]))
        return HttpResponseRedirect(
            f"{reverse('admin:comments_errorreport_changelist')}?status=open"
        )

    def render_change_form(self, request, context, *args, **kwargs):
        obj = context.get("original")
        context["can_handle"] = request.user.has_perm("comments.change_errorreport") and (
            obj is not None and obj.status == ErrorReport.Status.OPEN
        )
        context["correction_form"] = CorrectionForm(initial={"text": obj.text if obj else ""})
        return super().render_change_form(request, context, *args, **kwargs)
