"""An editor sets up the two-factor login in the real admin (QR code page, first code,
recovery codes) and signs in again with password and a code from the app, which the
test computes from the secret shown on the page, as an authenticator app would."""

from __future__ import annotations

import re
import time

import pytest

from newsroom.roles import EDITOR
from tests.browser.conftest import DESKTOP, FACTORY_PASSWORD, PHONE, screenshot_dir
from tests.browser.people import staff_member
from tests.support.totp import totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = {
    "de": {"scan": "Scannen Sie diesen QR-Code:", "codes": "Ihre Wiederherstellungscodes",
           "continue": "Weiter", "verify": "Anmeldung bestätigen", "confirm": "Bestätigen"},
    "en": {"scan": "Scan this QR code:", "codes": "Your recovery codes",
           "continue": "Continue", "verify": "Confirm sign-in", "confirm": "Confirm"},
}  # fmt: skip


def _password_login(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", FACTORY_PASSWORD)
    page.click("input[type=submit]")


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_editor_enrols_and_signs_in_with_a_code_from_the_app(
    new_page, settings, language, viewport
):
    settings.STAFF_REQUIRE_2FA = True
    editor = staff_member(f"cvd-{language}-{viewport['width']}", EDITOR)
    page = new_page(viewport=viewport)
    text = TEXT[language]
    shots = screenshot_dir() / "twofactor"
    shots.mkdir(exist_ok=True)
    name = f"{language}-{viewport['width']}"
    if language == "en":
        page.goto("/en/admin/")  # the admin in English (language cookie)

    _password_login(page, editor.username)
    page.wait_for_url("**/admin/2fa/einrichten/?next=%2Fadmin%2F")
    assert page.get_by_text(text["scan"]).is_visible()
    qr = page.locator(".qr svg")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 150
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=shots / f"{name}-1-enrol.png", full_page=True)

    secret = page.inner_text("#totp-secret")
    page.fill("#id_token", totp(secret))
    page.click("input[type=submit].default")
    page.get_by_text(text["codes"]).wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.screenshot(path=shots / f"{name}-2-recovery-codes.png", full_page=True)
    page.get_by_role("link", name=text["continue"]).click()
    page.wait_for_url("**/admin/")

    # Sign out and in again: after the password comes the code.
    page.click("#logout-form button")
    _password_login(page, editor.username)
    page.wait_for_url("**/admin/2fa/bestaetigen/?next=%2Fadmin%2F")
    assert page.get_by_role("heading", name=text["verify"]).is_visible()
    page.fill("#id_token", "123 456" if totp(secret, at=time.time() + 30) != "123456" else "654321")
    page.click(f"input[value='{text['confirm']}']")
    page.locator(".errorlist").wait_for()  # a wrong code is refused
    page.screenshot(path=shots / f"{name}-3-verify-wrong.png", full_page=True)
    time.sleep(1.1)  # django-otp's throttle after one failure
    # The enrolment code's time step is used up; the app's next code is accepted.
    page.fill("#id_token", totp(secret, at=time.time() + 30))
    page.click(f"input[value='{text['confirm']}']")
    page.wait_for_url("**/admin/")
    page.goto("/admin/articles/article/")
    assert page.url.endswith("/admin/articles/article/")
    page.goto("/admin/2fa/")  # the overview: all ten recovery codes left
    assert page.locator("#content-main").get_by_text("10").is_visible()
    page.screenshot(path=shots / f"{name}-4-overview.png", full_page=True)
