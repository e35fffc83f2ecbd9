"""Ad management in the Django admin, with per-campaign, creative and slot reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ads.models import Advertiser, Campaign, Creative, Slot
from ads.reports import campaign_pacing, daily_report, report_chart, report_csv
from core.admin import KeepUnchangedTimesMixin
from core.parsing import parse_id

MAX_REPORT_DAYS = 366


def _parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class ReportAdminMixin:
    """Adds ``<id>/bericht/`` (table + chart) and ``<id>/bericht.csv`` to a ModelAdmin."""

    report_filter_field: str

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/bericht/",
                self.admin_site.admin_view(self.report_view),
                name="{}_{}_report".format(*info),
            ),
            path(
                "<path:object_id>/bericht.csv",
                self.admin_site.admin_view(self.report_csv_view),
                name="{}_{}_report_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def _report(self, request, object_id):
        pk = parse_id(object_id)
        if pk is None:
            raise Http404
        obj = get_object_or_404(self.model, pk=pk)
        if not (
            self.has_view_permission(request, obj) and request.user.has_perm("ads.view_report")
        ):
            raise PermissionDenied
        end = _parse_day(request.GET.get("bis"))
        start = _parse_day(request.GET.get("von"))
        if start and end and (start > end or (end - start).days > MAX_REPORT_DAYS):
            start = end = None
        report = daily_report(start=start, end=end, **{self.report_filter_field: obj})
        return obj, report

    def report_view(self, request, object_id):
        obj, report = self._report(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "report": report,
            "chart": report_chart(report),
            "breakdowns": [
                (_("Pro Werbeplatz"), report.by_slot),
                (_("Pro Ressort"), report.by_section),
                (_("Pro Werbemittel"), report.by_creative),
            ],
            "pacing": campaign_pacing(obj) if isinstance(obj, Campaign) else None,
            "title": _("Bericht: %(name)s") % {"name": obj},
            "csv_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_report_csv", args=[obj.pk]
            )
            + f"?von={report.start.isoformat()}&bis={report.end.isoformat()}",
        }
        return TemplateResponse(request, "ads/admin/report.html", context)

    def report_csv_view(self, request, object_id):
        obj, report = self._report(request, object_id)
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"anzeigen-{self.opts.model_name}-{obj.pk}-{report.start}-{report.end}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.display(description=_("Bericht"))
    def report_link(self, obj):
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_report", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Bericht"))


@admin.register(Slot)
class SlotAdmin(ReportAdminMixin, admin.ModelAdmin):
    report_filter_field = "slot"
    list_display = [
        "code",
        "name",
        "position",
        "after_n",
        "size",
        "fallback",
        "is_active",
        "report_link",
    ]
    list_filter = ["position", "fallback", "is_active"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "is_active"]}),
        (_("Platzierung"), {"fields": ["page_types", "position", "after_n", "fallback"]}),
        (
            _("Reservierte Größe"),
            {"fields": [("mobile_width", "mobile_height"), ("desktop_width", "desktop_height")]},
        ),
    ]

    @admin.display(description=_("Größe mobil / Desktop"))
    def size(self, obj):
        return f"{obj.mobile_width}×{obj.mobile_height} / {obj.desktop_width}×{obj.desktop_height}"


@admin.register(Advertiser)
class AdvertiserAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email", "created_at"]
    search_fields = ["name", "contact_name", "contact_email"]


class CreativeInline(admin.StackedInline):
    model = Creative
    extra = 0
    fields = [
        ("name", "kind", "is_active"),
        "click_url",
        ("image", "image_mobile"),
        "alt_text",
        ("headline", "text"),
        "html",
        ("mobile_width", "mobile_height", "desktop_width", "desktop_height"),
    ]


@admin.register(Campaign)
class CampaignAdmin(KeepUnchangedTimesMixin, ReportAdminMixin, admin.ModelAdmin):
    report_filter_field = "creative__campaign"
    list_display = [
        "name",
        "advertiser",
        "priority",
        "weight",
        "starts_at",
        "ends_at",
        "is_active",
        "report_link",
    ]
    list_filter = ["priority", "is_active", "advertiser"]
    search_fields = ["name", "advertiser__name"]
    autocomplete_fields = ["advertiser"]
    filter_horizontal = ["slots", "target_sections", "target_tags"]
    date_hierarchy = "starts_at"
    inlines = [CreativeInline]
    fieldsets = [
        (None, {"fields": ["advertiser", "name", "is_active"]}),
        (
            _("Laufzeit und Gewichtung"),
            {"fields": [("starts_at", "ends_at"), ("priority", "weight")]},
        ),
        (
            _("Ausrichtung"),
            {"fields": ["slots", "target_page_types", "target_sections", "target_tags"]},
        ),
        (
            _("Obergrenzen"),
            {
                "fields": [
                    ("max_impressions", "max_clicks", "max_impressions_per_day"),
                    "max_per_reader_per_day",
                ]
            },
        ),
    ]


@admin.register(Creative)
class CreativeAdmin(ReportAdminMixin, admin.ModelAdmin):
    report_filter_field = "creative"
    list_display = ["name", "campaign", "kind", "is_active", "report_link"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "campaign__name", "campaign__advertiser__name"]
    autocomplete_fields = ["campaign"]
    list_select_related = ["campaign__advertiser"]
