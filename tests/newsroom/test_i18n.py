"""The reader site is German by default, English under /en/, and the English
catalogue is complete."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalogue_translates_every_string():
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == []


@pytest.mark.django_db
def test_reader_pages_are_german_by_default_and_english_under_en(client):
    german = client.get("/")
    english = client.get("/en/")
    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.text
    assert "Zum Inhalt springen" in german.text
    assert '<html lang="en">' in english.text
    assert "Skip to content" in english.text
