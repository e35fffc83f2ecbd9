"""Staff two-factor login: who must enrol, the enrolment with a QR code, the code after
each password login, recovery codes, and a strict CSP on these pages."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest

from core.models import AuditEntry
from tests.support.totp import totp

ENROL = "/admin/2fa/einrichten/"
VERIFY = "/admin/2fa/bestaetigen/"


def _secret(client) -> str:
    page = client.get(ENROL).content.decode()
    return unescape(re.search(r'id="totp-secret">([^<]+)<', page).group(1))


def _enrol(client) -> list[str]:
    """Enrol the logged-in user with a code computed from the page's secret."""
    secret = _secret(client)
    response = client.post(ENROL, {"token": totp(secret), "next": "/admin/"})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    return [secret, *codes]


@pytest.fixture
def required(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.mark.django_db
def test_editors_and_administrators_must_enrol_when_required(
    client, editor, superuser, journalist, required
):
    for user in (editor, superuser):
        client.force_login(user)
        response = client.get("/admin/articles/article/")
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL}?next=%2Fadmin%2Farticles%2Farticle%2F"
        assert client.get("/ckeditor/browse/").status_code == 302
    # A journalist may enrol but need not.
    client.force_login(journalist)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_nobody_must_enrol_while_the_setting_is_off(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_enrolment_page_shows_an_inline_qr_code_and_the_secret(client, editor, required):
    client.force_login(editor)
    page = client.get(ENROL).content.decode()
    assert '<svg width="' in page and "<path" in page  # drawn here, no image from elsewhere
    assert "<img" not in page.split('id="content-main"')[1]
    assert re.search(r'id="totp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', page)
    assert "Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben" in page
    # A reload shows the same secret: the QR code scanned first stays valid.
    assert _secret(client) == _secret(client)


@pytest.mark.django_db
def test_editor_enrols_with_a_code_from_the_app_and_gets_recovery_codes(client, editor, required):
    client.force_login(editor)
    secret = _secret(client)
    wrong = client.post(ENROL, {"token": "000000" if totp(secret) != "000000" else "111111"})
    assert "Der Code stimmt nicht" in wrong.content.decode()

    time.sleep(1.1)  # django-otp's throttle after one failure
    _enrol(client)
    assert client.get("/admin/").status_code == 200  # this session is verified
    entry = AuditEntry.objects.get(action="staff_2fa.enrol")
    assert entry.actor == editor and entry.object_id == str(editor.pk)


@pytest.mark.django_db
def test_after_the_password_an_enrolled_staff_member_confirms_a_code(client, journalist):
    client.force_login(journalist)
    secret, *_codes = _enrol(client)  # voluntary: not required for journalists

    client.logout()
    client.force_login(journalist)  # the password step
    response = client.get("/admin/articles/article/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Farticles%2Farticle%2F"
    # The enrolment code's time step is used up; the app's next code is accepted.
    response = client.post(
        VERIFY,
        {"token": totp(secret, at=time.time() + 30), "next": "/admin/articles/article/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/articles/article/"
    assert client.get("/admin/articles/article/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, editor, required):
    client.force_login(editor)
    _secret_value, first, *_rest = _enrol(client)

    for attempt in range(2):
        client.logout()
        client.force_login(editor)
        response = client.post(VERIFY, {"token": first.upper(), "next": "/admin/"})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get("/admin/").status_code == 200
            assert AuditEntry.objects.filter(action="staff_2fa.recovery_code_used").count() == 1
        else:
            assert response.status_code == 200
            assert "Der Code stimmt nicht oder wurde schon benutzt" in response.content.decode()
            assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(client, editor, required):
    client.force_login(editor)
    _secret_value, old, *_rest = _enrol(client)
    page = client.get("/admin/2fa/").content.decode()
    assert "Sie haben noch 10 Wiederherstellungscodes" in page
    response = client.post("/admin/2fa/")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == 10 and old not in new
    client.logout()
    client.force_login(editor)
    assert client.post(VERIFY, {"token": old}).status_code == 200  # refused
    time.sleep(1.1)  # django-otp's throttle after one failure
    assert client.post(VERIFY, {"token": new[0]}).status_code == 302


@pytest.mark.django_db
def test_the_verify_step_cannot_be_skipped_to_replace_the_app(client, editor, required):
    client.force_login(editor)
    _enrol(client)
    client.logout()
    client.force_login(editor)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_the_two_factor_pages_keep_the_strict_policy_and_speak_english(client, editor, required):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = client.get(ENROL)
    script_src = [
        part
        for part in response["Content-Security-Policy"].split("; ")
        if part.startswith("script-src")
    ][0]
    assert "'unsafe-inline'" not in script_src
    page = response.content.decode()
    assert "Scan this QR code:" in page
    assert "Two-factor authentication is required for your role" in page


@pytest.mark.django_db
def test_the_verify_page_offers_a_working_logout(client, editor, required):
    client.force_login(editor)
    _enrol(client)
    client.logout()
    client.force_login(editor)
    page = client.get(VERIFY).content.decode()
    assert 'action="/admin/logout/"' in page and 'method="post"' in page
    assert client.post("/admin/logout/").status_code == 200
    assert client.get("/admin/").status_code == 302  # to the login page now
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
