"""Roles: editors edit the static pages; sync_roles says what it changes."""

import html
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditEntry
from newsroom import roles
from pages.models import Page

pytestmark = pytest.mark.django_db


def _run_sync_roles(*args: str) -> str:
    out = StringIO()
    call_command("sync_roles", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def impressum(db):
    return Page.objects.get_or_create(
        slug="impressum", defaults={"title": "Impressum", "body": "<p>Alt</p>"}
    )[0]


def test_editor_edits_the_impressum_with_the_article_editor_and_its_sanitising(
    client, editor, impressum
):
    client.force_login(editor)
    url = reverse("admin:pages_page_change", args=[impressum.pk])
    page = client.get(url)
    assert page.status_code == 200
    # The article body's editor: the same CKEditor configuration, image uploads included.
    article_form = client.get(reverse("admin:articles_article_add")).text
    page_config = re.search(r'name="body"[^>]*data-config="([^"]+)"', page.text)
    article_config = re.search(r'name="body"[^>]*data-config="([^"]+)"', article_form)
    assert page_config and article_config
    assert page_config.group(1) == article_config.group(1)
    assert "filebrowserUploadUrl" in html.unescape(page_config.group(1))
    response = client.post(
        url,
        {
            "title": "Impressum",
            "slug": "impressum",
            "body": '<p onclick="x()">Verantwortlich: Carla Vogt</p><script>alert(1)</script>',
            "show_in_footer": "on",
            "footer_order": "1",
        },
    )
    assert response.status_code == 302
    impressum.refresh_from_db()
    assert impressum.body == "<p>Verantwortlich: Carla Vogt</p>"
    assert AuditEntry.objects.filter(action="page.update", object_id=str(impressum.pk)).exists()


@pytest.mark.parametrize("role", ["journalist", "moderator", "ad_manager"])
def test_other_roles_cannot_open_the_static_pages(client, role_users, role, impressum):
    client.force_login(role_users[role])
    response = client.get(reverse("admin:pages_page_change", args=[impressum.pk]))
    assert response.status_code == 403


def test_editors_may_not_delete_a_static_page(client, editor, impressum):
    client.force_login(editor)
    response = client.get(reverse("admin:pages_page_delete", args=[impressum.pk]))
    assert response.status_code == 403


def test_sync_roles_reports_and_removes_a_permission_given_by_hand():
    group = Group.objects.get(name=roles.EDITOR)
    group.permissions.add(Permission.objects.get(codename="delete_page"))
    output = _run_sync_roles()
    assert "Chef vom Dienst" in output
    assert "- pages.delete_page entfernt (nicht in newsroom/roles.py)" in output
    assert not group.permissions.filter(codename="delete_page").exists()


def test_sync_roles_reports_what_it_adds():
    group = Group.objects.get(name=roles.EDITOR)
    group.permissions.remove(Permission.objects.get(codename="change_page"))
    output = _run_sync_roles()
    assert "+ pages.change_page hinzugefügt" in output
    assert group.permissions.filter(codename="change_page").exists()


def test_sync_roles_dry_run_reports_the_changes_but_writes_nothing():
    group = Group.objects.get(name=roles.EDITOR)
    group.permissions.add(Permission.objects.get(codename="delete_page"))
    group.permissions.remove(Permission.objects.get(codename="change_page"))
    output = _run_sync_roles("--dry-run")
    assert "- pages.delete_page würde entfernt" in output
    assert "+ pages.change_page würde hinzugefügt" in output
    assert group.permissions.filter(codename="delete_page").exists()
    assert not group.permissions.filter(codename="change_page").exists()


def test_sync_roles_is_silent_with_verbosity_0_and_lists_unchanged_groups_with_2():
    group = Group.objects.get(name=roles.EDITOR)
    group.permissions.add(Permission.objects.get(codename="delete_page"))
    assert _run_sync_roles("--verbosity", "0") == ""
    assert not group.permissions.filter(codename="delete_page").exists()
    assert _run_sync_roles() == "Alle Rollen entsprechen newsroom/roles.py.\n"
    verbose = _run_sync_roles("--verbosity", "2")
    for name in roles.ROLE_PERMISSIONS:
        assert f"{name}: " in verbose and "unverändert" in verbose


def test_migrate_says_which_hand_given_permissions_it_takes_away():
    group = Group.objects.get(name=roles.EDITOR)
    group.permissions.add(Permission.objects.get(codename="delete_page"))
    out = StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "- pages.delete_page entfernt (nicht in newsroom/roles.py)" in out.getvalue()
    assert not group.permissions.filter(codename="delete_page").exists()
