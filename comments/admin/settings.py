"""Moderation settings, bans and trusted addresses: every save goes through a service.

Banning an address from its add form does what the desk's bulk action does (audit
entry, waiting comments to spam); settings and trusted-address edits are audited.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from comments import services
from comments.models import (
    Ban,
    BannedAddress,
    BannedIP,
    ModerationSettings,
    TrustedAddress,
)
from core.admin import person_display


def _copy_stored(obj, stored) -> None:
    """Give the admin's unsaved form instance the stored row's values (pk, dates, …)."""
    for model_field in type(obj)._meta.concrete_fields:
        setattr(obj, model_field.attname, getattr(stored, model_field.attname))


class BanAdmin(admin.ModelAdmin):
    """Adds, reason edits and deletes of bans through ``comments.services`` (audited)."""

    readonly_fields = ["created_by_name", "created_at"]
    exclude = ["created_by"]  # set by the services, shown as a name
    created_by_name = person_display(Ban, "created_by")
    #: The banned value; fixed once saved (another value is another ban).
    key_field = ""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [self.key_field, *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            services.ban_reason_update(ban=obj, reason=obj.reason, actor=request.user)
        else:
            _copy_stored(obj, self.ban(obj, actor=request.user))

    def ban(self, obj, *, actor):
        raise NotImplementedError

    def delete_model(self, request, obj):
        services.ban_lift(ban=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for ban in queryset:
            services.ban_lift(ban=ban, actor=request.user)


@admin.register(BannedAddress)
class BannedAddressAdmin(BanAdmin):
    list_display = ["email", "reason", "created_at", "created_by"]
    search_fields = ["email"]
    key_field = "email"

    def ban(self, obj, *, actor):
        """What the desk's "Adressen sperren" does: audit entry, waiting comments to spam."""
        return services.ban_address(email=obj.email, actor=actor, reason=obj.reason)


@admin.register(BannedIP)
class BannedIPAdmin(BanAdmin):
    list_display = ["network", "reason", "created_at", "created_by"]
    search_fields = ["network"]
    key_field = "network"

    def ban(self, obj, *, actor):
        return services.ban_ip(network=obj.network, actor=actor, reason=obj.reason)


@admin.register(TrustedAddress)
class TrustedAddressAdmin(admin.ModelAdmin):
    list_display = ["email", "note", "created_at"]
    search_fields = ["email"]

    def save_model(self, request, obj, form, change):
        services.trusted_address_save(trusted=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.trusted_address_remove(trusted=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for trusted in queryset:
            services.trusted_address_remove(trusted=trusted, actor=request.user)


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    fieldsets = [
        (_("Modus"), {"fields": ["mode", "auto_close_after_days", "trust_after_approvals"]}),
        (
            _("Automatische Prüfungen"),
            {
                "fields": [
                    "min_length",
                    "max_length",
                    "max_links",
                    "min_seconds_to_fill",
                    "banned_words",
                    "suspect_words",
                ]
            },
        ),
        (
            _("Begrenzungen"),
            {
                "fields": [
                    "rate_limit_window_seconds",
                    "rate_limit_per_ip",
                    "rate_limit_per_address",
                    "confirmation_mails_per_address_per_day",
                    "confirmation_mails_per_ip_per_hour",
                    "reports_to_hide",
                ]
            },
        ),
        (
            _("Darstellung und Datenschutz"),
            {"fields": ["max_depth", "initial_threads", "threads_per_page", "ip_retention_days"]},
        ),
    ]

    def has_add_permission(self, request):
        return not ModerationSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        services.moderation_settings_update(conf=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        obj = ModerationSettings.get()
        return HttpResponseRedirect(
            reverse("admin:comments_moderationsettings_change", args=[obj.pk])
        )
