"""Stolen or guessed editor passwords: repeated failures lock the account from
that address, many failures lock the address; a stranger cannot lock an editor
out; passwords must be strong; staff sessions end."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


def login(client, username, password, ip="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_a_correct_login_reaches_the_admin(client, editor):
    response = login(client, "cvd", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, editor):
    assert login(client, "cvd", "falsch").status_code == 200
    assert login(client, "cvd", "falsch").status_code == 200
    assert login(client, "cvd", "falsch").status_code == 429  # the limit is reached
    response = login(client, "cvd", PASSWORD)
    assert response.status_code == 429
    assert "Anmeldung vorübergehend gesperrt" in response.content.decode()


def test_a_stranger_cannot_lock_an_editor_out_from_another_address(client, editor):
    UserFactory(username="chefin", is_staff=True)
    for _ in range(3):
        login(client, "cvd", "falsch", ip="198.51.100.66")  # the stranger
    assert login(client, "cvd", PASSWORD, ip="198.51.100.66").status_code == 429
    # The editor, from their own address, with the right password, gets in…
    assert login(client, "cvd", PASSWORD, ip="203.0.113.9").status_code == 302
    # …and the stranger's failures locked no second account either.
    client.logout()
    assert login(client, "chefin", PASSWORD, ip="203.0.113.10").status_code == 302


def test_an_address_guessing_many_accounts_is_locked_by_address(client, editor, settings):
    settings.AXES_IP_FAILURE_LIMIT = 5
    for name in ("anna", "bernd", "clara", "dora", "emil"):
        login(client, name, "falsch", ip="192.0.2.50")
    assert login(client, "cvd", PASSWORD, ip="192.0.2.50").status_code == 429
    # …while the editor can still log in from their own address.
    assert login(client, "cvd", PASSWORD, ip="203.0.113.9").status_code == 302


def test_the_address_limit_is_higher_than_the_account_limit(client, editor, settings):
    settings.AXES_IP_FAILURE_LIMIT = 5
    for name in ("anna", "bernd", "clara", "dora"):  # 4 < 5 failures from one address
        login(client, name, "falsch", ip="192.0.2.51")
    assert login(client, "cvd", PASSWORD, ip="192.0.2.51").status_code == 302


def test_behind_a_trusted_proxy_the_lock_out_follows_the_forwarded_address(
    client, editor, settings
):
    settings.TRUSTED_PROXIES = ("10.0.0.5/32",)
    for _ in range(3):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": "cvd", "password": "falsch"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "cvd", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 302  # the proxy's address is not the editor's


@pytest.mark.parametrize("weak", ["kurz", "password1234", "123456789012", "cvd-cvd-cvd"])
def test_weak_passwords_are_refused(weak, editor):
    with pytest.raises(ValidationError):
        validate_password(weak, user=editor)


def test_staff_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
