"""Guard: every changelist filter of every admin names values as people read them.

For every model registered in the admin, with the demo data (``seed_demo``) plus DSA
notices and decisions, the superuser opens the changelist in German and in English and
each field filter is checked:

- a field with ``choices`` offers its labels, never the stored codes (``insult`` where
  the column says "Beleidigung, üble Nachrede, Verleumdung");
- a filter on a field that is also a column (by name or through ``@admin.display(
  ordering=...)``) does not offer the stored code where the column shows a label
  (the field may lack ``choices``, as the DSA notice's ground did).
"""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils.encoding import force_str

LANGUAGES = ["de", "en"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Demo data with DSA records, seeded once for this module and rolled back after it."""
    from comments import tokens
    from comments.models import Comment
    from comments.services import comment_post, comment_reject
    from comments.services.notices import notice_submit

    media = tmp_path_factory.mktemp("filter-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--force", verbosity=0)
            from articles.models import Article

            article = Article.objects.published().first()
            admin_user = get_user_model().objects.get(username="admin")
            for ground in ["insult", "rules_tone"]:
                comment = comment_post(
                    article=article,
                    name="Leserin",
                    email="leserin@example.org",
                    text=f"Ein Kommentar für den Hinweis {ground}.",
                    form_token=tokens.form_timestamp(time.time() - 120),
                )
                comment = Comment.objects.get(pk=comment.pk)
                notice_submit(
                    comment=comment,
                    ground=ground,
                    explanation="Das ist rechtswidrig.",
                    name="Hinweisgeberin",
                    email="hinweis@example.org",
                    good_faith=True,
                )
                comment_reject(
                    comment=comment,
                    actor=admin_user,
                    reason="Verstößt gegen die Regeln.",
                    ground=ground,
                    notify_author=False,
                )
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", force_str(html))).split())


def _column_of(model_admin, field_name: str, list_display) -> int | None:
    """The list_display position that shows ``field_name`` (by name or by ordering)."""
    for index, entry in enumerate(list_display):
        if entry == field_name:
            return index
        attr = entry if callable(entry) else getattr(model_admin, str(entry), None)
        if attr is not None and getattr(attr, "admin_order_field", None) == field_name:
            return index
    return None


def filter_problems(client, language: str) -> tuple[list[str], int]:
    """Problems of every field filter on every changelist, and how many were checked."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    problems: list[str] = []
    checked = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        if "cl" not in response.context:
            # A singleton (moderation settings) sends its list straight to its form.
            assert response.redirect_chain, f"{url}: no changelist and no redirect"
            assert response.redirect_chain[-1][0].endswith("/change/"), response.redirect_chain
            continue
        cl = response.context["cl"]
        assert cl.model is model
        for spec in cl.filter_specs:
            field = getattr(spec, "field", None)
            if field is None or getattr(field, "remote_field", None) is not None:
                continue
            shown = {}
            for choice in spec.choices(cl):
                value = choice.get("query_string", "")
                lookup = dict(
                    pair.split("=", 1) for pair in value.lstrip("?").split("&") if "=" in pair
                )
                raw = lookup.get(getattr(spec, "lookup_kwarg", ""), None)
                if raw is not None and "selected" in choice:
                    shown[raw] = force_str(choice["display"])
            checked += 1
            where = f"{opts.label} [{language}] filter {field.name!r}"
            if field.flatchoices:
                labels = {str(code): force_str(label) for code, label in field.flatchoices}
                for raw, display in shown.items():
                    if raw in labels and display == raw and labels[raw] != raw:
                        problems.append(f"{where} shows the code {raw!r}, not {labels[raw]!r}")
            # The filter and the column name a value alike.
            list_display = cl.list_display
            column = _column_of(model_admin, field.name, list_display)
            if column is None:
                continue
            for result in cl.result_list:
                raw = str(getattr(result, field.attname))
                if raw not in shown or raw == "":
                    continue
                cells = list(items_for_result(cl, result, None))
                cell = _text(cells[column])
                # A column may say more than the filter (an article "Geplant" is one of
                # the "Veröffentlicht" ones); the filter must not say less than a code.
                if shown[raw] == raw and cell and cell != raw:
                    problems.append(f"{where} offers the code {raw!r}, the column says {cell!r}")
    return problems, checked


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_changelist_filter_offers_labels_not_stored_codes(client, demo, settings, language):
    settings.MEDIA_ROOT = demo
    client.force_login(get_user_model().objects.get(username="admin"))
    problems, checked = filter_problems(client, language)
    assert checked > 10, "hardly any field filters were checked"
    assert not problems, "\n".join(sorted(set(problems)))


@pytest.mark.django_db
def test_the_dsa_notice_filter_names_grounds_in_each_language(client, demo, settings):
    """The user-reported instance: "Nach Grund" offered "insult"."""
    settings.MEDIA_ROOT = demo
    client.force_login(get_user_model().objects.get(username="admin"))
    url = reverse("admin:comments_notice_changelist")
    page = client.get(url).content.decode()
    assert "Beleidigung, üble Nachrede, Verleumdung" in page
    assert ">insult<" not in page.replace("\n", "").replace(" ", "")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "Beleidigung, üble Nachrede, Verleumdung" not in page
