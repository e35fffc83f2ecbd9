"""Guard: a button that does one thing has one name on the article form.

The side panel and Django's submit row both send ``_continue``; they said
"Speichern und weiter bearbeiten" and "Sichern und weiter bearbeiten". For every
role that edits articles, in German and English, on the add and the change form:
all submit buttons with the same ``name`` carry the same label.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class _SubmitButtons(HTMLParser):
    """(what it sends, label) of every submit button: ``<input type=submit>`` sends its
    name (its value is the label), a ``<button>`` its name and value."""

    def __init__(self):
        super().__init__()
        self.buttons: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._name = ""

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("type") == "submit" and values.get("name"):
            self.buttons.append((values["name"] or "", (values.get("value") or "").strip()))
        elif tag == "button" and values.get("type", "submit") == "submit" and values.get("name"):
            # A <button> may carry its action in its value (``_workflow=publish``):
            # then name and value together say what it does.
            key = values["name"] or ""
            if values.get("value"):
                key = f"{key}={values['value']}"
            self._open, self._name = [], key

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._open is not None:
            self.buttons.append((self._name, " ".join("".join(self._open).split())))
            self._open = None


def labels_by_name(html: str) -> dict[str, set[str]]:
    parser = _SubmitButtons()
    parser.feed(html)
    labels: dict[str, set[str]] = defaultdict(set)
    for name, label in parser.buttons:
        labels[name].add(label)
    return labels


def test_the_parser_sees_both_kinds_of_button():
    html = (
        '<input type="submit" name="_save" value="Sichern">'
        '<button name="_save" type="submit"> Speichern </button>'
    )
    assert labels_by_name(html) == {"_save": {"Sichern", "Speichern"}}


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("role", ["journalist", "editor", "superuser"])
def test_submit_buttons_with_the_same_name_have_the_same_label(
    client, request, journalist, language, role
):
    user = request.getfixturevalue(role)
    article = ArticleFactory(created_by=journalist, headline="Ein Entwurf")
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    checked = 0
    for url in (
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        labels = labels_by_name(response.content.decode())
        assert "_continue" in labels, f"{url}: no 'save and continue' button"
        differing = {name: sorted(found) for name, found in labels.items() if len(found) > 1}
        assert not differing, f"{url} [{language}]: {differing}"
        checked += 1
    assert checked == 2
