"""Writes from the comments admin go through the services: the same effects, audited.

Banning an address from its add form does what the desk's bulk action does; bans,
trusted addresses and the moderation settings leave an audit entry for every change.
"""

from __future__ import annotations

import pytest
from django.contrib import admin

from articles.extensions import ARTICLE_ADMIN_INLINES
from articles.models import Article
from comments.admin.feedback import FeedbackPointInline
from comments.models import (
    BannedAddress,
    BannedIP,
    Comment,
    ModerationMode,
    ModerationSettings,
    TrustedAddress,
)
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


@pytest.fixture
def held(article, conf, post_comment):
    conf.mode = ModerationMode.FIRST_COMMENT
    conf.save()
    post_comment(article, name="Neu", email="neu@example.org", text="Erster Versuch hier.")
    return Comment.objects.get()


def test_banning_from_the_add_form_does_what_the_bulk_action_does(admin_client, admin_user, held):
    response = admin_client.post(
        "/admin/comments/bannedaddress/add/", {"email": "Neu@Example.org", "reason": "Trollerei"}
    )
    assert response.status_code == 302
    banned = BannedAddress.objects.get()
    assert banned.email == "neu@example.org" and banned.created_by == admin_user
    held.refresh_from_db()
    assert held.status == Comment.Status.SPAM  # the waiting comment went to spam
    [entry] = _actions("comment.ban_address")
    assert entry.actor == admin_user and entry.note == "Trollerei"
    assert entry.data == {"ip_banned": False, "pending_to_spam": 1}


def test_the_bulk_action_leaves_the_same_audit_entry(admin_client, admin_user, held):
    admin_client.post(
        "/admin/comments/comment/?queue=pending",
        {"action": "ban_addresses", "_selected_action": [held.pk]},
    )
    [entry] = _actions("comment.ban_address")
    assert entry.data == {"ip_banned": False, "pending_to_spam": 1}


def test_editing_and_lifting_a_ban_are_audited(admin_client, admin_user, held):
    admin_client.post("/admin/comments/bannedaddress/add/", {"email": "neu@example.org"})
    banned = BannedAddress.objects.get()
    admin_client.post(
        f"/admin/comments/bannedaddress/{banned.pk}/change/",
        {"email": "anders@example.org", "reason": "Beleidigungen"},
    )
    banned.refresh_from_db()
    assert banned.reason == "Beleidigungen"
    assert banned.email == "neu@example.org"  # the banned value is fixed once saved
    [changed] = _actions("comment.ban_reason_changed")
    assert changed.note == "Beleidigungen" and changed.data == {"before": ""}
    admin_client.post(f"/admin/comments/bannedaddress/{banned.pk}/delete/", {"post": "yes"})
    assert not BannedAddress.objects.exists()
    [lifted] = _actions("comment.ban_lifted")
    assert lifted.object_id == str(banned.pk) and lifted.actor == admin_user


def test_banning_an_ip_from_its_add_form_is_audited(admin_client, admin_user, article, conf):
    admin_client.post(
        "/admin/comments/bannedip/add/", {"network": "203.0.113.0/24", "reason": "Spam"}
    )
    banned = BannedIP.objects.get()
    assert banned.created_by == admin_user
    [entry] = _actions("comment.ban_ip")
    assert entry.object_id == str(banned.pk) and entry.note == "Spam"


def test_trusting_editing_and_removing_an_address_are_audited(admin_client, admin_user, db):
    admin_client.post(
        "/admin/comments/trustedaddress/add/", {"email": "Stamm@Example.org", "note": "Leserin"}
    )
    trusted = TrustedAddress.objects.get()
    assert trusted.email == "stamm@example.org"
    admin_client.post(
        f"/admin/comments/trustedaddress/{trusted.pk}/change/",
        {"email": "stamm@example.org", "note": "Stammleserin"},
    )
    admin_client.post(f"/admin/comments/trustedaddress/{trusted.pk}/delete/", {"post": "yes"})
    assert not TrustedAddress.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("pk")] == [
        "comment.trust_address",
        "comment.trusted_address_changed",
        "comment.untrust_address",
    ]
    assert all(e.actor == admin_user for e in AuditEntry.objects.all())


def _settings_form(conf: ModerationSettings, **changes) -> dict:
    fields = [
        "mode",
        "auto_close_after_days",
        "trust_after_approvals",
        "min_length",
        "max_length",
        "max_links",
        "min_seconds_to_fill",
        "banned_words",
        "suspect_words",
        "rate_limit_window_seconds",
        "rate_limit_per_ip",
        "rate_limit_per_address",
        "confirmation_mails_per_address_per_day",
        "confirmation_mails_per_ip_per_hour",
        "reports_to_hide",
        "max_depth",
        "initial_threads",
        "threads_per_page",
        "ip_retention_days",
    ]
    data = {name: getattr(conf, name) for name in fields}
    data.update(changes)
    return {key: "" if value is None else value for key, value in data.items()}


def test_changing_the_moderation_settings_is_audited_with_old_and_new_values(
    admin_client, admin_user, conf
):
    response = admin_client.post(
        f"/admin/comments/moderationsettings/{conf.pk}/change/",
        _settings_form(conf, mode=ModerationMode.PRE, max_links=5),
    )
    assert response.status_code == 302
    assert ModerationSettings.get().mode == ModerationMode.PRE  # seen at once
    [entry] = _actions("comment.settings_changed")
    assert entry.actor == admin_user
    assert entry.data["changes"]["mode"] == {"from": conf.mode, "to": ModerationMode.PRE}
    assert entry.data["changes"]["max_links"]["to"] == 5
    assert set(entry.data["changes"]) == {"mode", "max_links"}


def test_saving_unchanged_moderation_settings_writes_no_audit_entry(admin_client, conf):
    admin_client.post(f"/admin/comments/moderationsettings/{conf.pk}/change/", _settings_form(conf))
    assert not _actions("comment.settings_changed")


def test_the_feedback_inline_reaches_the_article_admin_through_its_extension_point():
    article_admin = admin.site._registry[Article]
    assert FeedbackPointInline in ARTICLE_ADMIN_INLINES
    assert FeedbackPointInline not in article_admin.inlines  # the registry is not edited
