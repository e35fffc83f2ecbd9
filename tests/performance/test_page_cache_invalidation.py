"""Cached reader pages become stale when what they show changes."""

import pytest

from articles import services
from core import pagecache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def versions(*tags):
    return pagecache.tag_versions(tags)


def test_publishing_an_article_invalidates_the_site_and_the_article(
    editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(status="review")
    before = versions("site", f"article:{article.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=article)
    after = versions("site", f"article:{article.pk}")
    assert after["site"] != before["site"]
    assert after[f"article:{article.pk}"] != before[f"article:{article.pk}"]


def test_unpublishing_an_article_invalidates_the_site(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(published=True)
    before = versions("site")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(actor=editor, article=article)
    assert versions("site") != before


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
