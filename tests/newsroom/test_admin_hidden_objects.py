"""No admin page tells a role that an existing object "does not exist".

For each role and each registered admin, the change, history and delete URLs of an
existing object answer the page, a refusal, or a redirect with a message that says the
user may not open it; never Django's "… existiert nicht. Eventuell gelöscht?".
The objects are the demo content (``seed_demo``), owned by none of the role users, so
the journalist's own-articles-only rule is exercised on every article.
"""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from articles import images, services
from articles.models import Article
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

GONE = "existiert nicht"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr(images, "RENDITION_WIDTHS", (320,))
    call_command("seed_demo", "--force", stdout=io.StringIO())


def _existing_objects(user):
    """Per admin: its first object, and one its queryset hides from ``user`` if any."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        manager = model._default_manager.order_by("pk")
        hidden = manager.exclude(pk__in=model_admin.get_queryset(request).values("pk")).first()
        for obj in {manager.first(), hidden} - {None}:
            yield model, model_admin, obj


def _answers_to(client, model, obj):
    opts = model._meta
    for view in ("change", "history", "delete"):
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
        except NoReverseMatch:
            continue
        yield url, client.get(url, follow=True)


def test_no_role_is_told_an_existing_object_does_not_exist(client, role_users, demo):
    told_gone = []
    for role, user in role_users.items():
        client.force_login(user)
        checked = 0
        for model, _admin, obj in _existing_objects(user):
            for url, response in _answers_to(client, model, obj):
                checked += 1
                if GONE in response.content.decode(errors="replace"):
                    told_gone.append(f"{role}: {url}")
        assert checked > 40, role  # the demo reaches most admins
    assert told_gone == []


def test_a_journalist_opening_a_colleagues_article_is_told_why(
    client, journalist, other_journalist
):
    theirs = services.article_create(
        actor=other_journalist,
        headline="Recherche",
        lead="V",
        body="<p>T</p>",
        section=SectionFactory(),
    )
    client.force_login(journalist)
    url = reverse("admin:articles_article_change", args=[theirs.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_changelist")
    page = client.get(response.url).content.decode()
    assert f"Den Artikel mit ID „{theirs.pk}“ dürfen Sie nicht öffnen" in page
    assert "Kai Kollege" in page
    assert GONE not in page


def test_an_id_that_is_really_missing_keeps_djangos_message(client, journalist):
    missing = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    client.force_login(journalist)
    page = client.get(
        reverse("admin:articles_article_change", args=[missing]), follow=True
    ).content.decode()
    assert GONE in page


def test_no_admin_page_links_a_role_to_a_page_it_may_not_open(client, role_users, demo):
    """On every change page a role can open (demo content, every registered admin), every
    link to another admin page opens for that role: a read-only "created by" once linked
    the journalist and the desk to the user admin, which answered 403."""
    import re

    refused = []
    links = 0
    for role, user in role_users.items():
        client.force_login(user)
        seen: set[str] = set()
        for model, _admin, obj in _existing_objects(user):
            opts = model._meta
            try:
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            except NoReverseMatch:
                continue
            page = client.get(url)
            if page.status_code != 200:
                continue
            content = page.content.decode(errors="replace").split('id="content"', 1)[-1]
            hrefs = set(re.findall(r'href="(/admin/[^"#]*)"', content)) - seen
            for href in {h.replace("&amp;", "&") for h in hrefs if "logout" not in h}:
                seen.add(href)
                if client.get(href).status_code == 403:
                    refused.append(f"{role}: {url} links {href}")
        links += len(seen)
    assert links > 50
    assert refused == [], "\n".join(refused)
