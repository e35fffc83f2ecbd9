"""Stolen or guessed editor passwords: repeated failures lock the account and
the address; passwords must be strong; staff sessions end."""

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


@pytest.fixture
def editor():
    return UserFactory(username="cvd", is_staff=True)


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


def test_the_lock_holds_for_the_account_from_another_address(client, editor):
    for _ in range(3):
        login(client, "cvd", "falsch", ip="203.0.113.7")
    assert login(client, "cvd", PASSWORD, ip="198.51.100.20").status_code == 429


def test_an_address_guessing_many_accounts_is_locked(client, editor):
    for name in ("anna", "bernd", "clara"):
        login(client, name, "falsch", ip="192.0.2.50")
    assert login(client, "cvd", PASSWORD, ip="192.0.2.50").status_code == 429
    # …while the editor can still log in from their own address.
    assert login(client, "cvd", PASSWORD, ip="203.0.113.9").status_code == 302


@pytest.mark.parametrize("weak", ["kurz", "password1234", "123456789012", "cvd-cvd-cvd"])
def test_weak_passwords_are_refused(weak, editor):
    with pytest.raises(ValidationError):
        validate_password(weak, user=editor)


def test_staff_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
