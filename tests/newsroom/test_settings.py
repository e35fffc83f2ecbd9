"""Production settings refuse insecure configurations; development needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.env import parse_database_url, parse_email_url

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-key-that-is-long-enough-0123456789"


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "PYTEST_CURRENT_TEST"
    }
    base_env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.base"
    base_env.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "django-insecure-development-only-never-use-in-production",
        "short-key",
        "django-insecure-" + "x" * 60,
    ],
)
def test_production_refuses_an_insecure_secret_key(key):
    result = run_manage("check", env={"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is insecure" in result.stderr


def without_database_url() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "NEWSROOM_EMBEDDED_DATABASE", "PYTEST_CURRENT_TEST"}
        and not key.startswith("DJANGO_")
    }


def test_production_refuses_to_start_without_a_database_url():
    env = {
        **without_database_url(),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": GOOD_KEY,
        # An empty data folder: had the embedded server started, it would initdb here.
        "NEWSROOM_EMBEDDED_PGDATA": str(ROOT / "var" / "must-not-be-created"),
    }
    for command in (
        [sys.executable, "manage.py", "check"],
        [sys.executable, "-c", "import newsroom.wsgi"],  # what gunicorn imports
    ):
        result = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode != 0
        assert "DATABASE_URL is not set. Production mode (DJANGO_DEBUG off)" in result.stderr
        assert "development only" in result.stderr
    assert not (ROOT / "var" / "must-not-be-created").exists()


def test_the_embedded_postgresql_is_a_development_dependency_only():
    production = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    development = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert "\npgserver==" not in production
    assert "\npgserver==" in development


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": GOOD_KEY,
            "DJANGO_ALLOWED_HOSTS": "news.example",
            "NEWSROOM_SITE_URL": "https://news.example",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_refuses_production_without_the_public_site_url():
    result = run_manage(
        "check",
        "--deploy",
        env={
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": GOOD_KEY,
            "DJANGO_ALLOWED_HOSTS": "news.example",
            "NEWSROOM_SITE_URL": "",
        },
    )
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr and "NEWSROOM_SITE_URL" in result.stderr


def test_development_mode_needs_no_variables_but_debug():
    result = run_manage("check", env={"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_database_url_with_socket_directory_is_parsed():
    config = parse_database_url("postgresql://postgres:@/postgres?host=/srv/pg")
    assert config["HOST"] == "/srv/pg"
    assert config["NAME"] == "postgres"
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_database_url_with_credentials_and_options_is_parsed():
    config = parse_database_url(
        "postgres://news:s%40cret@db.internal:6432/newsroom?sslmode=require"
    )
    assert (config["USER"], config["PASSWORD"]) == ("news", "s@cret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", "6432", "newsroom")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_a_non_postgresql_database_url_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        parse_database_url("sqlite:///db.sqlite3")


def test_email_url_selects_smtp_with_starttls(tmp_path):
    mailer = parse_email_url("smtp://mailer:pw@mail.example:587?tls=1", file_path=tmp_path)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailer["OPTIONS"]
    assert (options["host"], options["port"]) == ("mail.example", 587)
    assert options["use_tls"] is True
    assert options["password"] == "pw"


def test_email_url_file_writes_under_var_mail_by_default(tmp_path):
    mailer = parse_email_url("file://", file_path=tmp_path / "mail")
    assert mailer["OPTIONS"] == {"file_path": str(tmp_path / "mail")}
