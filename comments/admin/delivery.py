"""Subscriptions and notification deliveries: read-only, with a retry action."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from comments.models import (
    NotificationDelivery,
    Subscription,
)
from comments.notifications import deliveries_retry_now


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "article",
        "kind",
        "language",
        "confirmed_at",
        "unsubscribed_at",
        "created_at",
    ]
    list_filter = [
        "kind",
        "language",
        ("confirmed_at", admin.EmptyFieldListFilter),
        "unsubscribed_at",
    ]
    search_fields = ["email", "article__headline"]
    list_select_related = ["article"]
    readonly_fields = [
        "article",
        "email",
        "kind",
        "language",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    ]

    def has_add_permission(self, request):
        return False  # only the owner of an address subscribes it (double opt-in)


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(admin.ModelAdmin):
    list_display = ["email", "comment", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    list_select_related = ["comment"]
    readonly_fields = [
        "comment",
        "subscription",
        "email",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Jetzt erneut senden (nur ausstehende/fehlgeschlagene)"))
    def retry_now(self, request, queryset):
        sent = deliveries_retry_now(delivery_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(n)s gesendet.") % {"n": sent})
