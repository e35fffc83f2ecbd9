"""Two-factor login for staff (django-otp): an authenticator app (TOTP) plus single-use
recovery codes.

Who needs it: with ``STAFF_REQUIRE_2FA`` on, the editor role (Chef vom Dienst) and
superusers (administrators) cannot use the admin before they have enrolled; every staff
member who enrolled, required or not, confirms a code after each password login
(``newsroom.twofactor_views.StaffTwoFactorMiddleware``). The writes below are services:
each runs in a transaction and leaves an audit entry. Secrets never leave the server
except on the enrolment page of the user they belong to.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_log
from newsroom.roles import EDITOR

TOTP_DEVICE_NAME = "Authenticator-App"
RECOVERY_DEVICE_NAME = "Wiederherstellungscodes"
RECOVERY_CODE_COUNT = 10
_TOTP_PATTERN = re.compile(r"\d{6}")


def two_factor_required(user: Any) -> bool:
    """True when ``user`` must enrol: ``STAFF_REQUIRE_2FA`` is on and the user is an
    administrator (superuser) or in the editor role. No side effects."""
    if not (settings.STAFF_REQUIRE_2FA and user.is_authenticated and user.is_staff):
        return False
    return bool(user.is_superuser or user.groups.filter(name=EDITOR).exists())


def has_two_factor(user: Any) -> bool:
    """True when ``user`` has a confirmed authenticator app."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def _require_staff(user: Any) -> None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied(
            _("Nur Mitarbeiter der Redaktion richten eine Zwei-Faktor-Anmeldung ein.")
        )


def totp_enrolment_start(*, user: Any) -> TOTPDevice:
    """The unconfirmed authenticator device ``user`` is setting up (created once, so a
    reload shows the same QR code). Side effect: may create that device."""
    _require_staff(user)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME)
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, user: Any, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device from :func:`totp_enrolment_start` with a code from the app.

    Replaces any earlier authenticator and recovery codes of ``user``, creates
    new recovery codes and returns them with the device (the codes are shown once).
    Side effects: device writes, an audit entry. Raises ``ValidationError`` for a
    wrong code (django-otp throttles repeated failures).
    """
    _require_staff(user)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME)
            .first()
        )
        if device is None or not device.verify_token(_normalise(token)):
            raise ValidationError(
                _("Der Code stimmt nicht. Geben Sie den aktuellen Code aus der App ein."),
                code="token",
            )
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit_log(actor=user, target=user, action="staff_2fa.enrol", to_state="totp")
    return device, codes


def recovery_codes_regenerate(*, user: Any) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working); returns them.
    Side effects: device writes, an audit entry."""
    _require_staff(user)
    if not has_two_factor(user):
        raise PermissionDenied(_("Richten Sie zuerst die Authenticator-App ein."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit_log(actor=user, target=user, action="staff_2fa.recovery_codes")
    return codes


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _normalise(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def two_factor_verify(*, user: Any, token: str) -> Device | None:
    """The confirmed device that accepts ``token`` (a six-digit app code or a recovery
    code), or ``None``. A recovery code is used up; using one leaves an audit entry.
    django-otp throttles each device after failures (growing delays)."""
    token = _normalise(token)
    kind = TOTPDevice if _TOTP_PATTERN.fullmatch(token) else StaticDevice
    device = kind.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None
    matched = django_otp.verify_token(user, device.persistent_id, token)
    if matched is not None and kind is StaticDevice:
        audit_log(
            actor=user,
            target=user,
            action="staff_2fa.recovery_code_used",
            note=f"{recovery_codes_left(user)} left",
        )
    return matched


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` URL as an inline SVG QR code (no external service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # without the XML declaration


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in groups of four, for apps without a camera."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
