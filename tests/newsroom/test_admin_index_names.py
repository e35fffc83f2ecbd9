"""Guard: the German admin names every app and model in German.

The admin index (and the sidebar, which shows the same list) in German and in English,
as the superuser who sees every app: each app and model name must be translated,
i.e. differ between the two languages, and an app must not be headed by its raw
label ("Taggit"). Words that are the same in both languages are listed explicitly.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Names that are German and English alike (checked by a person, not guessed).
SAME_IN_BOTH_LANGUAGES: set[str] = {"Ticker", "Liveticker", "Newsletter", "Slots"}


def index_names(client, language: str) -> dict[tuple[str, str], str]:
    """{(app_label, model or ""): name shown} on the admin index in ``language``."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    names = {}
    for app in response.context["app_list"]:
        names[(app["app_label"], "")] = str(app["name"])
        for model in app["models"]:
            names[(app["app_label"], model["object_name"])] = str(model["name"])
    return names


def test_every_app_and_model_on_the_admin_index_is_translated(client, superuser):
    client.force_login(superuser)
    german = index_names(client, "de")
    english = index_names(client, "en")
    assert german.keys() == english.keys()
    assert ("taggit", "") in german, "the tags app is not on the index"
    untranslated = [
        f"{app}.{model or '(app)'}: {german[app, model]!r}"
        for app, model in german
        if german[app, model] == english[app, model]
        and german[app, model] not in SAME_IN_BOTH_LANGUAGES
    ]
    raw_labels = [
        f"{app}: {german[app, '']!r}"
        for app, model in german
        if not model and german[app, ""].lower() in {app.lower(), app.replace("_", " ").lower()}
    ]
    assert not untranslated, "same name in German and English: " + ", ".join(untranslated)
    assert not raw_labels, "apps headed by their raw label: " + ", ".join(raw_labels)


def test_tags_are_called_schlagwoerter_in_german_and_tags_in_english(client, superuser):
    client.force_login(superuser)
    german = index_names(client, "de")
    english = index_names(client, "en")
    assert german["taggit", ""] == "Schlagwörter"
    assert german["taggit", "Tag"] == "Schlagwörter"
    assert english["taggit", ""] == "Tags"
    assert english["taggit", "Tag"] == "Tags"
