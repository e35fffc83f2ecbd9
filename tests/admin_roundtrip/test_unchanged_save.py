"""Guard: opening any admin change form and saving it unchanged changes nothing.

For every model registered in the admin (all apps) and every object of the demo
data (``seed_demo``), as the superuser and as each role's demo account: GET the
change form, submit exactly what the browser would send (the rendered widgets,
inline management forms included, parsed by ``tests.support.adminforms``), then
assert that

- the save succeeds (an unchanged form must be valid),
- no table changed (every column except ``auto_now`` timestamps; tags, m2m and
  inline rows included),
- no new "changed" history entry (LogEntry) names a change,
- no new article revision differs from the one before.

Objects a role may only view (no save button) or not see are skipped for it.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from articles.models import ArticleRevision
from tests.support.adminforms import as_post_data, form_fields

# Rows that may appear on any request (sessions, log-in tracking, history and audit
# entries, queued tasks); history and revisions are checked separately below.
VOLATILE = {
    "admin.LogEntry",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "axes.AccessAttemptExpiration",
    "django_tasks_database.DBTaskResult",
    "core.AuditEntry",
    "articles.ArticleRevision",
}
ACCOUNTS = ["admin", "redakteurin", "cvd", "moderation", "anzeigen"]  # seed_demo's
# Defects this guard found in admins owned elsewhere, reported, not yet fixed. Each
# has a strict xfail test below, so fixing one makes the suite say: remove it here.
KNOWN_DEFECTS: dict[str, str] = {
    # None left. (The split date/time widget dropped microseconds, so an unchanged save
    # truncated timestamps made by code; core.admin.KeepUnchangedTimesMixin fixed it.)
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for this module and rolled back after it."""
    media = tmp_path_factory.mktemp("roundtrip-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", "--force", verbosity=0)
            yield media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _tables():
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in VOLATILE or not model._meta.managed or model._meta.proxy:
            continue
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if not getattr(field, "auto_now", False)
        ]
        tables.append((model._meta.label, model._meta.db_table, columns))
    return tables


def fingerprint() -> dict[str, str]:
    """One digest per table over all rows (one query for the whole database)."""
    parts = []
    quote = connection.ops.quote_name
    for label, table, columns in _tables():
        row = ", ".join(f"t.{quote(c)}" for c in columns)
        parts.append(
            f"SELECT '{label}', md5(coalesce(string_agg(ROW({row})::text, '|' "  # noqa: S608
            f"ORDER BY ROW({row})::text), '')) FROM {quote(table)} t"  # (model names, quoted)
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def rows(label: str) -> Counter:
    model = apps.get_model(label)
    columns = [f.attname for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]
    return Counter(
        json.dumps(row, default=str, sort_keys=True)
        for row in model._default_manager.values(*columns)
    )


def _diff(before: Counter, after: Counter) -> str:
    gone, new = before - after, after - before
    lines = []
    for old_row, new_row in zip(sorted(gone), sorted(new), strict=False):
        old_values, new_values = json.loads(old_row), json.loads(new_row)
        changed = {
            key: (old_values.get(key), new_values.get(key))
            for key in new_values
            if old_values.get(key) != new_values.get(key)
        }
        lines.append(f"id {new_values.get('id')}: {changed}")
    if len(gone) != len(new):
        lines.append(f"{len(gone)} rows gone, {len(new)} rows new")
    return "; ".join(lines)[:600]


class Database:
    """The database state between round trips: digests, and rows for a readable diff."""

    def __init__(self):
        self.digests = fingerprint()
        self.rows = {label: rows(label) for label in self.digests}

    def changes(self) -> dict[str, str]:
        """Tables changed since the last call, with what changed; becomes the new state."""
        digests, found = fingerprint(), {}
        for label, digest in digests.items():
            if digest != self.digests.get(label):
                now = rows(label)
                found[label] = _diff(self.rows.get(label, Counter()), now)
                self.rows[label] = now
        self.digests = digests
        return found


def round_trip(client, model_admin, obj, database: Database) -> list[str]:
    """Problems found when saving ``obj`` unchanged (empty: none, or not editable)."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = client.get(url)
    if page.status_code != 200 or 'name="_save"' not in page.text:
        return []  # not visible or view only for this account
    fields = form_fields(page.text, f"{opts.model_name}_form")
    database.changes()  # the GET may write (sessions); start from here
    last_log = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_revision = (
        ArticleRevision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    )
    response = client.post(url, as_post_data(fields, _save="Sichern"))
    where = f"{opts.label} #{obj.pk} ({str(obj)[:40]})"
    problems = []
    if response.status_code != 302:
        errors = ""
        context = getattr(response, "context", None)
        if context and "adminform" in context:
            errors = context["adminform"].form.errors.as_json()
            for inline in context.get("inline_admin_formsets", []):
                if inline.formset.errors or inline.formset.non_form_errors():
                    errors += f" {inline.formset.prefix}: {inline.formset.errors}"
                    errors += f" {inline.formset.non_form_errors()}"
        problems.append(f"{where}: unchanged save answered {response.status_code} {errors}")
    for label, diff in database.changes().items():
        problems.append(f"{where}: {label} changed: {diff}")
    for entry in LogEntry.objects.filter(pk__gt=last_log, action_flag=CHANGE):
        if entry.change_message not in ("", "[]"):
            problems.append(f"{where}: history says {entry.get_change_message()!r}")
    for revision in ArticleRevision.objects.filter(pk__gt=last_revision):
        previous = (
            ArticleRevision.objects.filter(article=revision.article_id, pk__lt=revision.pk)
            .order_by("-pk")
            .first()
        )
        if previous is None or previous.snapshot != revision.snapshot:
            problems.append(f"{where}: a new revision with changed content")
    return problems


def all_round_trips(client, username: str, only: str | None = None) -> tuple[list[str], Counter]:
    client.force_login(get_user_model().objects.get(username=username))
    database = Database()
    problems, saved = [], Counter()
    for model, model_admin in admin.site._registry.items():
        if only and model._meta.label != only:
            continue
        for obj in model._default_manager.order_by("pk"):
            problems.extend(round_trip(client, model_admin, obj, database))
            saved[model._meta.label] += 1
    return problems, saved


def is_known(problem: str) -> str | None:
    for label, reason in KNOWN_DEFECTS.items():
        if problem.startswith(label + " "):
            return reason
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("username", ACCOUNTS)
def test_saving_any_admin_form_unchanged_changes_nothing(client, demo, settings, username):
    settings.MEDIA_ROOT = demo
    problems, saved = all_round_trips(client, username)
    assert saved, "no objects in the demo data"
    unknown = [problem for problem in problems if not is_known(problem)]
    assert not unknown, "\n".join(unknown)


@pytest.mark.django_db
@pytest.mark.parametrize("label", KNOWN_DEFECTS)
@pytest.mark.xfail(strict=True, reason="known defect outside this guard's area (see KNOWN_DEFECTS)")
def test_known_round_trip_defects_are_still_there(client, demo, settings, label):
    """Turns XPASS (and fails, strict) once the defect is fixed: then drop it from the list."""
    settings.MEDIA_ROOT = demo
    problems, _saved = all_round_trips(client, "admin", only=label)
    assert not [problem for problem in problems if problem.startswith(label + " ")]


def test_the_fingerprint_sees_a_change_of_tags(db):
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    before = fingerprint()
    article.tags.add("Neu")
    after = fingerprint()
    assert before["taggit.TaggedItem"] != after["taggit.TaggedItem"]
    assert before["articles.Article"] == after["articles.Article"]
