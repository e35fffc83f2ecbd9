"""Bans of addresses and IP networks, and trusted addresses.

Every path (the desk's bulk action and button, the admin's add, change and delete
forms) goes through these functions: one audit entry each, the same follow-ups.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from comments.models import (
    Ban,
    BannedAddress,
    BannedIP,
    Comment,
    ModerationDecision,
    TrustedAddress,
    normalise_email,
)
from comments.services.notices import decision_record
from core.actors import acting_user
from core.audit import audit_log


def ban_address(
    *, email: str, actor: Any, reason: str = "", ip: str | None = None
) -> BannedAddress:
    """Ban an address (and optionally an IP); its waiting comments go to spam, each
    with a decision record.

    One audit entry (``comment.ban_address``: whether an IP was banned, how many
    waiting comments went to spam). An address banned already keeps its ban.
    """
    email = normalise_email(email)
    if not email:
        raise ValidationError(_("Diese Adresse kann nicht gesperrt werden."))
    with transaction.atomic():
        banned, _created = BannedAddress.objects.get_or_create(
            email=email,
            defaults={
                "reason": reason,
                "created_by": acting_user(actor),
            },
        )
        if ip:
            BannedIP.objects.get_or_create(
                network=ip,
                defaults={
                    "reason": reason,
                    "created_by": acting_user(actor),
                },
            )
        # Each waiting comment moved to spam is a decision on record (DSA Art. 24).
        waiting = list(
            Comment.objects.select_for_update().filter(email=email, status=Comment.Status.PENDING)
        )
        held = Comment.objects.filter(pk__in=[c.pk for c in waiting]).update(
            status=Comment.Status.SPAM
        )
        for comment in waiting:
            decision_record(
                comment=comment,
                kind=ModerationDecision.Kind.SPAM,
                actor=actor,
                ground="rules_spam",
                facts=str(_("Adresse gesperrt")),
                from_status=Comment.Status.PENDING,
            )
        audit_log(
            actor=actor,
            target=banned,
            action="comment.ban_address",
            note=reason,
            data={"ip_banned": bool(ip), "pending_to_spam": held},
        )
    return banned


def ban_ip(*, network: str, actor: Any, reason: str = "") -> BannedIP:
    """Ban an IP address or network (CIDR). Audit entry; an existing ban is kept as it is."""
    network = (network or "").strip()
    if not network:
        raise ValidationError(_("Bitte geben Sie eine IP-Adresse oder ein Netz an."))
    with transaction.atomic():
        banned, created = BannedIP.objects.get_or_create(
            network=network, defaults={"reason": reason, "created_by": acting_user(actor)}
        )
        if created:
            audit_log(actor=actor, target=banned, action="comment.ban_ip", note=reason)
    return banned


def ban_reason_update(*, ban: Ban, reason: str, actor: Any) -> Ban:
    """Change the recorded reason of a ban. Audit entry with the old and the new reason."""
    with transaction.atomic():
        ban = type(ban)._default_manager.select_for_update().get(pk=ban.pk)
        before = ban.reason
        if before == reason:
            return ban
        ban.reason = reason
        ban.save(update_fields=["reason"])
        audit_log(
            actor=actor,
            target=ban,
            action="comment.ban_reason_changed",
            note=reason,
            data={"before": before},
        )
    return ban


def ban_lift(*, ban: Ban, actor: Any) -> None:
    """Lift a ban of an address or IP network. Audit entry (kept after the row is gone)."""
    with transaction.atomic():
        audit_log(
            actor=actor,
            target=ban,
            action="comment.ban_lifted",
            data={"reason": ban.reason},
        )
        ban.delete()


def trusted_address_save(*, trusted: TrustedAddress, actor: Any) -> TrustedAddress:
    """Trust an address (its comments skip first-comment moderation), or edit its note.

    ``trusted`` is the new or changed row, not yet saved. Audit entry.
    """
    created = trusted.pk is None
    trusted.email = normalise_email(trusted.email)
    trusted.full_clean()
    with transaction.atomic():
        trusted.save()
        audit_log(
            actor=actor,
            target=trusted,
            action="comment.trust_address" if created else "comment.trusted_address_changed",
            note=trusted.note,
        )
    return trusted


def trusted_address_remove(*, trusted: TrustedAddress, actor: Any) -> None:
    """Stop trusting an address. Audit entry (kept after the row is gone)."""
    with transaction.atomic():
        audit_log(actor=actor, target=trusted, action="comment.untrust_address")
        trusted.delete()
