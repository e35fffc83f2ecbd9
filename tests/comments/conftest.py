"""Fixtures for the comments tests: a published article, open settings, helpers."""

import time

import pytest

from comments import tokens
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory(published=True)


def form_ts(seconds_ago: int = 30) -> str:
    return tokens.form_timestamp(time.time() - seconds_ago)


@pytest.fixture
def post_comment(client, django_capture_on_commit_callbacks):
    """POST the comment form like a reader without JavaScript (on-commit work runs)."""

    def _post(article, *, json=False, client_=None, meta=None, **data):
        payload = {
            "name": "Erika Muster",
            "email": "erika@example.org",
            "text": "Ein durchdachter Kommentar zum Artikel.",
            "ts": form_ts(),
            "website": "",
            **data,
        }
        headers = {"Accept": "application/json"} if json else {}
        with django_capture_on_commit_callbacks(execute=True):
            return (client_ or client).post(
                f"/kommentare/{article.pk}/schreiben/", payload, headers=headers, **(meta or {})
            )

    return _post


@pytest.fixture
def mail_folder(settings, tmp_path):
    """Mail through Django's file backend into a folder (read back with
    ``tests.support.mailcheck.written_mails``): the real bytes a mail server would get."""
    folder = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder
