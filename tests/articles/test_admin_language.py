"""The admin speaks each editor's language (profile setting, browser, German by
default) while reader pages keep the language of their URL; the German admin
shows no English."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.contrib import admin
from django.urls import reverse

from core.models import AuditEntry, StaffPreference

pytestmark = pytest.mark.django_db

DJANGO_LOCALE = django.__path__[0]
# English phrases of Django's admin that were seen untranslated in the German admin,
# and more that would be as visible. Matched as whole words in text and attributes.
ENGLISH_ADMIN_PHRASES = [
    "Run",
    "- Select an option -",
    "Select an option",
    "Filter by",
    "Note: Enter times",
    "Save and continue editing",
    "Save and add another",
    "Save",
    "Delete",
    "History",
    "Add another",
    "Log out",
    "Logout",
    "Change password",
    "View site",
    "Site administration",
    "Recent actions",
    "Search",
    "Show all",
    "Action:",
    "Choose all",
    "Remove all",
    "Today",
    "Now",
    "Yes",
    "No",
    "Unknown",
    "Any date",
    "Clear selection",
    "Pagination",
    "selected",
]


class _Visible(HTMLParser):
    """Text a person reads or hears: text nodes and labelling attributes, no scripts."""

    ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._skip += 1
        for name, value in attrs:
            if value and name in self.ATTRIBUTES and not (name == "value" and tag == "option"):
                if name == "value" and tag == "input":
                    types = dict(attrs).get("type", "text")
                    if types not in {"submit", "button", "reset"}:
                        continue
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_phrases_in(html: str) -> list[str]:
    text = visible_text(html)
    return [
        phrase
        for phrase in ENGLISH_ADMIN_PHRASES
        if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)
    ]


def test_admin_is_german_without_a_browser_language(client):
    response = client.get("/admin/login/")
    assert '<html lang="de"' in response.text
    assert "Anmelden" in response.text
    assert "Accept-Language" in response["Vary"]


def test_a_browser_asking_for_english_gets_the_english_admin(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en"' in response.text
    assert "Log in" in response.text
    assert response["Content-Language"] == "en"


def test_an_editor_who_chose_english_sees_the_english_admin_in_a_german_browser(client, editor):
    StaffPreference.objects.create(user=editor, language="en")
    client.force_login(editor)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert '<html lang="en"' in response.text
    assert "Site administration" in response.text
    assert "Articles" in response.text  # our own app name, from our English catalogue
    changelist = client.get(reverse("admin:articles_article_changelist"))
    assert "Quick filter" in changelist.text or "Select article to change" in changelist.text
    # Reader pages keep the language of their URL.
    assert '<html lang="de">' in client.get("/").text


def test_an_editor_who_chose_german_sees_the_german_admin_in_an_english_browser(client, editor):
    StaffPreference.objects.create(user=editor, language="de")
    client.force_login(editor)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="de"' in response.text
    assert "Website-Verwaltung" in response.text


def test_en_admin_leads_to_the_english_admin(client, editor):
    response = client.get("/en/admin/articles/article/")
    assert response.status_code == 302
    assert response.url == "/admin/articles/article/"
    client.force_login(editor)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="de")
    assert '<html lang="en"' in page.text
    assert client.get("/en/admin/").url == "/admin/"


def test_editor_sets_their_admin_language_on_their_settings_page(client, journalist):
    client.force_login(journalist)
    page = client.get(reverse("admin_preferences"))
    assert page.status_code == 200
    assert "Sprache der Redaktionsoberfläche" in page.text
    assert reverse("admin_preferences") in client.get("/admin/").text  # linked in the header
    response = client.post(reverse("admin_preferences"), {"language": "en"})
    assert response.status_code == 302
    assert StaffPreference.objects.get(user=journalist).language == "en"
    assert AuditEntry.objects.filter(action="staff_preference.update").exists()
    follow = client.get(response.url)
    assert "Your settings were saved." in follow.text
    assert "Language of the newsroom interface" in follow.text
    client.post(reverse("admin_preferences"), {"language": ""})
    assert StaffPreference.objects.get(user=journalist).language == ""
    assert '<html lang="de"' in client.get("/admin/").text


def test_unknown_language_is_refused_with_a_message(client, journalist):
    client.force_login(journalist)
    response = client.post(reverse("admin_preferences"), {"language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    assert not StaffPreference.objects.filter(user=journalist).exists()


def _admin_urls(model_admin, obj, request) -> list[str]:
    opts = model_admin.model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{base}_changelist")]
    if model_admin.has_add_permission(request):
        urls.append(reverse(f"{base}_add"))
    if obj is not None:
        urls.append(reverse(f"{base}_change", args=[obj.pk]))
        urls.append(reverse(f"{base}_history", args=[obj.pk]))
    return urls


@pytest.fixture
def demo_content(monkeypatch, superuser):
    from django.core.management import call_command

    from articles import images

    monkeypatch.setattr(images, "RENDITION_WIDTHS", (320,))
    call_command("seed_demo", "--force", verbosity=0)


def test_the_german_admin_shows_no_english_on_any_page(client, superuser, demo_content):
    client.force_login(superuser)
    pages = ["/admin/", "/admin/password_change/", reverse("admin_preferences")]
    apps = {model._meta.app_label for model in admin.site._registry}
    pages += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
    request = _request_for(superuser)
    for model_admin in admin.site._registry.values():
        obj = model_admin.get_queryset(request).order_by("pk").first()
        pages += _admin_urls(model_admin, obj, request)
    found = {}
    for url in pages:
        response = client.get(url, follow=True)  # the comment desk opens on its queue
        if response.status_code == 403:
            continue  # e.g. "add" of a singleton (the moderation settings)
        assert response.status_code == 200, url
        phrases = english_phrases_in(response.text)
        if phrases:
            found[url] = phrases
    assert found == {}, found


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admins_date_picker_speaks_german(client, editor):
    client.force_login(editor)
    catalogue = client.get("/admin/jsi18n/").text
    assert "Hinweis: Zeiten in der Zeitzone" in catalogue
    assert "Heute (%(date)s)" in catalogue


DJANGO_CATALOGUES = [
    "conf/locale/{}/LC_MESSAGES/django.po",
    "contrib/admin/locale/{}/LC_MESSAGES/django.po",
    "contrib/admin/locale/{}/LC_MESSAGES/djangojs.po",
    "contrib/auth/locale/{}/LC_MESSAGES/django.po",
    "contrib/contenttypes/locale/{}/LC_MESSAGES/django.po",
    "contrib/humanize/locale/{}/LC_MESSAGES/django.po",
]
OURS = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES"


def _read(path) -> Catalog:
    with open(path, "rb") as fh:
        return read_po(fh, locale="de")


def _translated(catalogue: Catalog, message) -> bool:
    found = catalogue.get(message.id, context=message.context)
    if found is None or found.fuzzy:
        return False
    return all(found.string) if isinstance(found.string, tuple) else bool(found.string)


@pytest.mark.parametrize("path", DJANGO_CATALOGUES)
def test_every_django_admin_string_has_german(path):
    """Our locale/de catalogue fills what Django's German one lacks (also after an upgrade)."""
    english = _read(f"{DJANGO_LOCALE}/{path.format('en')}")
    german = _read(f"{DJANGO_LOCALE}/{path.format('de')}")
    ours = _read(OURS / path.rsplit("/", 1)[-1])
    missing = [
        (message.context, message.id)
        for message in english
        if message.id and not (_translated(german, message) or _translated(ours, message))
    ]
    assert missing == [], f"add German for these to {OURS}: {missing}"


@pytest.mark.parametrize(
    ("app_model", "singular"),
    [("articles_article", "Article"), ("ads_creative", "Creative")],
)
def test_the_english_admin_names_one_object_in_the_singular(client, superuser, app_model, singular):
    """German "Artikel"/"Werbemittel" are singular and plural alike; English is not."""
    client.force_login(superuser)
    page = client.get(reverse(f"admin:{app_model}_add"), HTTP_ACCEPT_LANGUAGE="en")
    assert f"<title>Add {singular} |" in page.text
    changelist = client.get(reverse(f"admin:{app_model}_changelist"), HTTP_ACCEPT_LANGUAGE="en")
    assert f"Select {singular} to change |" in changelist.text


def test_the_english_comment_desk_labels_a_comments_article_in_the_singular(client, superuser):
    from comments.models import Comment
    from tests.factories import ArticleFactory

    article = ArticleFactory(published=True)
    comment = Comment.objects.create(
        article=article, name="Leser", email="l@example.org", text="Hallo"
    )
    client.force_login(superuser)
    changelist = client.get(
        reverse("admin:comments_comment_changelist"), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    header = re.search(r'column-article_link">.*?<a [^>]*>([^<]*)</a>', changelist.text, re.S)
    assert header is not None
    assert header.group(1) == "Article"
    change = client.get(
        reverse("admin:comments_comment_change", args=[comment.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert ">Article:</label>" in change.text
    assert ">Articles:</label>" not in change.text
