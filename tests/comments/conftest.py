"""Fixtures for the comments tests: a published article, open settings, helpers."""

import time

import pytest

from comments import tokens
from comments.models import ModerationMode, ModerationSettings
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory(published=True)


@pytest.fixture
def conf(db):
    """Site settings in post-moderation (comments appear at once) unless a test changes them."""
    settings_row = ModerationSettings.get()
    settings_row.mode = ModerationMode.POST
    settings_row.save()
    return settings_row


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
