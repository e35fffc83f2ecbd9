"""Cached reader pages become stale when what they show changes."""

import pytest

from articles import services
from core import pagecache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]


def versions(*tags):
    return pagecache.tag_versions(tags)


def test_publishing_an_article_invalidates_its_lists_and_the_article(
    editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status="review")
    watched = ("list:latest", f"section:{article.section_id}", f"article:{article.pk}", "site")
    before = versions(*watched)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=article)
    after = versions(*watched)
    assert after["list:latest"] != before["list:latest"]
    assert after[f"section:{article.section_id}"] != before[f"section:{article.section_id}"]
    assert after[f"article:{article.pk}"] != before[f"article:{article.pk}"]
    assert after["site"] == before["site"]  # pages not showing articles stay (issue #15.4)


def test_unpublishing_an_article_invalidates_the_lists(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(published=True)
    before = versions("list:latest", "articles")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(actor=editor, article=article)
    after = versions("list:latest", "articles")
    assert after["list:latest"] != before["list:latest"]
    assert after["articles"] != before["articles"]


def test_renaming_a_section_in_the_admin_invalidates_the_site(django_capture_on_commit_callbacks):
    section = SectionFactory()
    before = versions("site")
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Neuer Name"
        section.save()
    assert versions("site") != before


def test_editing_a_static_page_invalidates_the_site(django_capture_on_commit_callbacks):
    from pages.models import Page

    page = Page.objects.first()
    before = versions("site")
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Impressum (neu)"
        page.save()
    assert versions("site") != before
