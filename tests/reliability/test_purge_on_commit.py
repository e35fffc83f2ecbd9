"""A reader during an open admin transaction cannot cache stale content.

Two real database connections: the editor's transaction stays open in the main
thread while an anonymous reader requests the page in a second thread. The
reader cannot see the uncommitted rows, so it renders (and caches) the old
content; the purge must come after the commit, or that old copy would be served
under the new version for ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from core import pagecache
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cache_backend")]


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.local_entries.clear()
    yield
    pagecache.local_entries.clear()


def in_second_connection(work: Callable[[], Any]) -> Any:
    """Run ``work`` in another thread, i.e. on its own database connection."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the reader hung (waiting for a row lock?)"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def read_as_reader(url: str) -> str:
    """An anonymous reader's GET of ``url`` in a second connection (page cache on)."""
    response = in_second_connection(lambda: Client().get(url))
    assert response.status_code == 200
    return response.content.decode()


def test_a_reader_during_an_article_edit_cannot_cache_the_old_headline():
    from articles import services

    editor = UserFactory(username="cvd", is_staff=True, is_superuser=True)
    article = ArticleFactory(published=True, headline="Alte Schlagzeile")
    url = article.get_absolute_url()
    assert "Alte Schlagzeile" in read_as_reader(url)  # cached

    with transaction.atomic():
        services.article_update(
            actor=editor,
            article=article,
            expected_version=article.version,
            changes={"headline": "Neue Schlagzeile"},
        )
        during = read_as_reader(url)  # misses or hits: the old row is all it can see
    assert "Alte Schlagzeile" in during

    after = read_as_reader(url)
    assert "Neue Schlagzeile" in after and "Alte Schlagzeile" not in after


def test_a_reader_during_a_static_page_edit_in_the_admin_cannot_cache_the_old_text(
    admin_client,
):
    from pages.models import Page

    page = Page.objects.create(title="Kontakt", slug="kontakt", body="<p>Alte Adresse</p>")
    url = page.get_absolute_url()
    assert "Alte Adresse" in read_as_reader(url)

    with transaction.atomic():  # the admin's own transaction, held open a moment longer
        response = admin_client.post(
            f"/admin/pages/page/{page.pk}/change/",
            {
                "title": "Kontakt",
                "slug": "kontakt",
                "body": "<p>Neue Adresse</p>",
                "show_in_footer": "on",
                "footer_order": "0",
            },
        )
        assert response.status_code == 302
        assert "Alte Adresse" in read_as_reader(url)  # rendered again and stored

    after = read_as_reader(url)
    assert "Neue Adresse" in after and "Alte Adresse" not in after


def test_a_reader_during_a_section_rename_in_the_admin_cannot_cache_the_old_name(admin_client):
    section = SectionFactory(name="Lokales", slug="lokales")
    article = ArticleFactory(published=True, section=section)
    url = article.get_absolute_url()
    assert ">Lokales</a>" in read_as_reader(url)

    with transaction.atomic():
        response = admin_client.post(
            f"/admin/articles/section/{section.pk}/change/",
            {"name": "Region", "slug": "lokales", "order": "0", "description": ""},
        )
        assert response.status_code == 302
        assert ">Lokales</a>" in read_as_reader(url)

    after = read_as_reader(url)
    assert ">Region</a>" in after and ">Lokales</a>" not in after


def test_a_reader_during_a_settings_change_cannot_cache_the_old_settings_row():
    from comments.models import ModerationSettings

    row = ModerationSettings.get()
    row.threads_per_page = 10
    row.save()
    assert in_second_connection(lambda: ModerationSettings.get().threads_per_page) == 10

    with transaction.atomic():
        row.threads_per_page = 25
        row.save()
        # Cold or warm, the reader can only see (and cache) the committed row.
        assert in_second_connection(lambda: ModerationSettings.get().threads_per_page) == 10

    assert in_second_connection(lambda: ModerationSettings.get().threads_per_page) == 25


def test_a_reader_during_an_ad_change_cannot_cache_the_old_eligible_set():
    from ads.models import PageType
    from ads.selectors import PageContext, eligible_set
    from tests.ads.factories import CreativeFactory, SlotFactory

    SlotFactory(code="article_top")
    creative = CreativeFactory(headline="Frische Brötchen")
    page = PageContext(PageType.ARTICLE)

    def shown() -> str:
        return " ".join(c.html for c in eligible_set("article_top", page).candidates)

    assert "Frische Brötchen" in in_second_connection(shown)  # cached

    with transaction.atomic():
        creative.headline = "Warme Croissants"
        creative.save()
        assert "Frische Brötchen" in in_second_connection(shown)

    after = in_second_connection(shown)
    assert "Warme Croissants" in after and "Frische Brötchen" not in after
