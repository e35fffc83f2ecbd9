"""Guard: a rich-text (CKEditor) field posted back in CKEditor's serialisation is no edit.

``test_unchanged_save`` posts each form as rendered, without JavaScript; in a browser
CKEditor replaces the textarea and sends the text in its own serialisation. What
CKEditor 4.22 (django-ckeditor's default dataProcessor) really sent for a stored
body, seen in ``tests/browser/test_rich_text_unchanged_save.py``::

    <h2>Gr&ouml;&szlig;ere ...</h2>\\r\\n\\r\\n<p>... &bdquo;deutlich&ldquo; ...</p>\\r\\n\\r\\n
    <ul>\\r\\n\\t<li>Erstens: &Ouml;ffnungszeiten</li>\\r\\n ...</ul>\\r\\n\\r\\n
    <blockquote>\\r\\n<p>...</p>\\r\\n</blockquote>\\r\\n ... </p>\\r\\n

(named entities for non-ASCII text, CRLF, a blank line between blocks, a tab before
list items, a line end at the end; attribute values and order as stored).
``ckeditor_serialised`` does the same (and reverses attribute order on top).

For every admin form of every registered model (inlines too) that has a rich-text
field, and every object of the demo data: post the unchanged form with each
rich-text value as CKEditor would send it, and assert nothing changed (tables,
stored bytes, version, revisions, audit entries, queued tasks, anything run after
the commit such as cache purges). And every field
with a CKEditor widget, in admin forms and any other form, must be a
``core.richtext.RichTextFormField``, so a new rich-text field is covered by the class.
"""

from __future__ import annotations

import re
from html.entities import codepoint2name

import pytest
from ckeditor.widgets import CKEditorWidget
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.tasks import default_task_backend
from django.test import RequestFactory
from django.urls import reverse

from articles.models import ArticleRevision
from core.models import AuditEntry
from core.richtext import RichTextFormField, html_meaning, same_html
from tests.admin_roundtrip.test_unchanged_save import Database, demo  # noqa: F401 (fixture)
from tests.support.adminforms import as_post_data, form_fields

_TAG = re.compile(r"(<[^>]*>)")
_ATTRIBUTE = re.compile(r'\s([\w-]+)="([^"]*)"')
_BLOCK_END = re.compile(r"</(p|h2|h3|h4|ul|ol|blockquote|table|figure)>")


def _reverse_attributes(tag: str) -> str:
    attributes = _ATTRIBUTE.findall(tag)
    if len(attributes) < 2 or tag.startswith("</"):
        return tag
    name = re.match(r"<([\w-]+)", tag)
    if name is None:
        return tag
    closing = "/>" if tag.endswith("/>") else ">"
    rest = "".join(f' {key}="{value}"' for key, value in reversed(attributes))
    return f"<{name.group(1)}{rest}{closing}"


def _entities(text: str) -> str:
    return "".join(
        f"&{codepoint2name[ord(char)]};" if ord(char) in codepoint2name else char for char in text
    )


def ckeditor_serialised(html: str) -> str:
    """``html`` as CKEditor 4 sends it back unchanged (see the module docstring)."""
    text = "".join(
        _reverse_attributes(part) if part.startswith("<") else _entities(part)
        for part in _TAG.split(html)
    )
    text = _BLOCK_END.sub(lambda match: match.group(0) + "\r\n\r\n", text)
    text = re.sub(r"<li\b", "\r\n\t<li", text)
    text = re.sub(r"</(ul|ol)>", r"\r\n</\1>", text)
    text = re.sub(r"<blockquote>", "<blockquote>\r\n", text)
    return text.strip() + "\r\n"


def _admin_forms(request, model_admin, obj) -> list[type[forms.BaseForm]]:
    found = [model_admin.get_form(request, obj, change=obj is not None)]
    for inline in model_admin.get_inline_instances(request, obj):
        found.append(inline.get_formset(request, obj).form)
    return found


def _rich_text_names(form_class: type[forms.BaseForm]) -> list[str]:
    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field.widget, CKEditorWidget)
    ]


def _superuser_request():
    user = get_user_model().objects.filter(is_superuser=True).first()
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _all_form_classes() -> list[type[forms.BaseForm]]:
    found, queue = [], [forms.BaseForm]
    while queue:
        cls = queue.pop()
        for sub in cls.__subclasses__():
            queue.append(sub)
            if not sub.__module__.startswith(("django.", "ckeditor", "taggit")):
                found.append(sub)
    return found


def test_the_ckeditor_serialisation_of_a_body_means_the_same_and_an_edit_does_not():
    stored = (
        '<h2>Größe</h2><p>Bürger „so“ – <a href="https://example.org/ä" title="Ä">x</a> '
        "<strong>fett</strong>.</p><ul><li>Öl</li></ul><blockquote><p>Zitat</p></blockquote>"
    )
    sent = ckeditor_serialised(stored)
    assert sent != stored and "&ouml;" in sent and "\r\n\r\n" in sent
    assert same_html(sent, stored)
    assert not same_html(sent.replace("fett", "mager"), stored)
    assert not same_html(stored.replace("</strong>.", "</strong> ."), stored)  # a visible space
    assert html_meaning("<p>a\u00a0b</p>") != html_meaning("<p>a b</p>")  # no-break space


def _ckeditor_fields() -> dict[str, forms.Field]:
    """Every form field with a CKEditor widget: admin forms (inlines too) of every
    registered model, and every other form class of the project (custom admin views)."""
    request = _superuser_request()
    found = {}
    for model, model_admin in admin.site._registry.items():
        for obj in (None, model._default_manager.order_by("pk").first()):
            for form_class in _admin_forms(request, model_admin, obj):
                for name in _rich_text_names(form_class):
                    found[f"{model._meta.label}.{name}"] = form_class.base_fields[name]
    for form_class in _all_form_classes():
        for name in _rich_text_names(form_class):
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            found[where] = form_class.base_fields[name]
    return found


@pytest.mark.django_db
def test_every_ckeditor_field_in_a_form_compares_by_meaning(demo):  # noqa: F811
    fields = _ckeditor_fields()
    assert {"articles.Article.body", "pages.Page.body", "ticker.forms.EntryForm.body"} <= {*fields}
    plain = [where for where, field in fields.items() if not isinstance(field, RichTextFormField)]
    assert not plain, f"CKEditor fields compared byte for byte: {plain}"


def _counts() -> dict[str, int]:
    return {
        "revisions": ArticleRevision.objects.count(),
        "audit entries": AuditEntry.objects.count(),
        "queued tasks": len(default_task_backend.results),
    }


@pytest.mark.django_db
def test_saving_any_rich_text_admin_form_as_ckeditor_sends_it_changes_nothing(
    client,
    demo,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = demo
    # Tasks are kept, not run (Django's dummy backend), to count what a save queues.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    admin_user = get_user_model().objects.get(username="admin")
    client.force_login(admin_user)
    request = _superuser_request()
    database = Database()
    problems, saved = [], []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        for obj in model._default_manager.order_by("pk"):
            names = {
                name
                for form_class in _admin_forms(request, model_admin, obj)
                for name in _rich_text_names(form_class)
            }
            if not names:
                break
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            page = client.get(url)
            if page.status_code != 200 or 'name="_save"' not in page.text:
                continue
            fields = form_fields(page.text, f"{opts.model_name}_form")
            rewritten = [
                # Inline fields are prefixed ("<prefix>-0-body").
                (name, ckeditor_serialised(value) if name.split("-")[-1] in names else value)
                for name, value in fields
            ]
            assert rewritten != fields or not any(v for n, v in fields if n in names)
            database.changes()
            before = _counts()
            # What runs after the commit (cache purges, queued tasks) runs here.
            with django_capture_on_commit_callbacks(execute=True) as after_commit:
                response = client.post(url, as_post_data(rewritten, _save="Sichern"))
            where = f"{opts.label} #{obj.pk}"
            saved.append(where)
            if response.status_code != 302:
                problems.append(f"{where}: answered {response.status_code}")
            for label, diff in database.changes().items():
                problems.append(f"{where}: {label} changed: {diff}")
            after = _counts()
            for what, count in before.items():
                if after[what] != count:
                    problems.append(f"{where}: {after[what] - count} new {what}")
            if after_commit:
                problems.append(f"{where}: after the commit (purges, tasks): {after_commit}")
    assert any(s.startswith("articles.Article ") for s in saved)
    assert any(s.startswith("pages.Page ") for s in saved)
    assert not problems, "\n".join(problems)
