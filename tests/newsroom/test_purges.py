"""Every cache purge lives in ``newsroom.purges`` and runs when the transaction commits."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from core import pagecache
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

ROOT = Path(__file__).resolve().parents[2]
PURGE_MODULE = ROOT / "newsroom" / "purges.py"
# The functions that make a cache stale, by name; only the purge module calls them.
INVALIDATORS = {
    "invalidate",
    "replace_epoch",
    "bump_ads_version",
    "forget_cached",
    "forget_site_navigation",
    "forget_ticker_index",
    "forget_breaking_news",
}


def versions(*tags):
    return pagecache.tag_versions(tags)


def _app_modules() -> list[Path]:
    """Every Python module of our apps (folders with an ``apps.py``), tests excepted."""
    files = []
    for app in sorted(p.parent for p in ROOT.glob("*/apps.py")):
        files += [f for f in app.rglob("*.py") if "migrations" not in f.parts]
    return files


def _invalidator_calls(path: Path, root: Path = ROOT) -> list[str]:
    """``file:line name`` for each call of an invalidator (or import of the page cache's)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("pagecache"):
            name = next((a.name for a in node.names if a.name in INVALIDATORS), None)
        elif isinstance(node, ast.Attribute) and node.attr in INVALIDATORS:
            # Handed on without calling it, e.g. ``signal.connect(Model.forget_cached)``.
            name = node.attr
        if name in INVALIDATORS:
            found.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    return found


def test_no_module_outside_the_purge_module_invalidates_a_cache():
    modules = _app_modules()
    assert PURGE_MODULE in modules and len(modules) > 50  # the walk found the apps
    offenders = [
        call
        for path in modules
        if path != PURGE_MODULE and path.name != "pagecache.py"
        for call in _invalidator_calls(path)
    ]
    assert offenders == []


def test_the_guard_sees_a_call_of_the_page_cache_invalidate(tmp_path):
    module = tmp_path / "handlers.py"
    module.write_text(
        "from core.pagecache import invalidate\n"
        "def on_save(**kwargs):\n"
        "    invalidate('site')\n"
        "    Settings.forget_cached()\n"
    )
    names = sorted(entry.split()[-1] for entry in _invalidator_calls(module, root=tmp_path))
    assert names == ["forget_cached", "forget_cached", "invalidate", "invalidate"]


@pytest.mark.django_db
def test_a_purge_waits_for_the_commit(django_capture_on_commit_callbacks):
    section = SectionFactory()
    before = versions("site")
    with django_capture_on_commit_callbacks() as callbacks:
        section.name = "Neuer Name"
        section.save()
        assert versions("site") == before  # readers cannot see the new name yet
    assert callbacks
    for callback in callbacks:
        callback()
    assert versions("site") != before


@pytest.mark.django_db
def test_a_rolled_back_change_purges_nothing(django_capture_on_commit_callbacks):
    section = SectionFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            section.name = "Verworfen"
            section.save()
            raise RuntimeError("the admin's save failed")
    assert callbacks == []


@pytest.mark.django_db
def test_tagging_an_article_purges_its_page_and_the_lists(django_capture_on_commit_callbacks):
    from taggit.models import Tag

    article = ArticleFactory(published=True)
    tag = Tag.objects.create(name="Hochwasser", slug="hochwasser")
    watched = ("site", "articles", f"article:{article.pk}", f"tag:{tag.pk}")
    before = versions(*watched)
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add(tag)
    after = versions(*watched)
    assert after["articles"] != before["articles"]
    assert after[f"article:{article.pk}"] != before[f"article:{article.pk}"]
    assert after[f"tag:{tag.pk}"] != before[f"tag:{tag.pk}"]  # the tag's list
    assert after["site"] == before["site"]  # not every page (issue #15, item 4)


@pytest.mark.django_db
def test_changing_the_comment_settings_purges_the_cached_row_and_the_pages(
    django_capture_on_commit_callbacks,
):
    from comments.models import ModerationSettings

    row = ModerationSettings.get()
    before = versions("site")
    with django_capture_on_commit_callbacks(execute=True):
        row.threads_per_page = 7
        row.save()
    assert ModerationSettings.get().threads_per_page == 7
    assert versions("site") != before


@pytest.fixture
def _page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.local_entries.clear()
    yield
    pagecache.local_entries.clear()


@pytest.mark.django_db
@pytest.mark.usefixtures("_page_cache")
def test_building_renditions_refreshes_the_cached_page_of_an_article_showing_the_image(
    client, django_capture_on_commit_callbacks
):
    from articles.images import build_renditions

    image = ImageFactory()
    article = ArticleFactory(published=True, teaser_image=image)
    url = article.get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "MISS" and "srcset" not in first.text
    assert client.get(url)["X-Page-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        created = build_renditions(image)
    assert created

    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "MISS"
    assert "srcset=" in fresh.text
    assert any(rendition.file.url in fresh.text for rendition in created)


@pytest.mark.django_db
def test_renditions_built_is_sent_after_commit_for_the_image(django_capture_on_commit_callbacks):
    from articles.images import build_renditions
    from articles.signals import image_renditions_built

    image = ImageFactory()
    sent = []

    def receiver(sender, *, image_id, **kwargs):
        sent.append(image_id)

    image_renditions_built.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            build_renditions(image)
            assert sent == []  # not before the rows are committed
        assert sent == [image.pk]
        assert build_renditions(image) == []  # nothing new: nothing to announce
        assert sent == [image.pk]
    finally:
        image_renditions_built.disconnect(receiver)


@pytest.mark.django_db
def test_new_renditions_of_an_author_photo_purge_that_authors_articles(
    django_capture_on_commit_callbacks,
):
    from articles.images import build_renditions

    photo = ImageFactory()
    author = AuthorFactory(photo=photo)
    theirs = ArticleFactory(published=True, authors=[author])
    other = ArticleFactory(published=True)
    before = versions(f"article:{theirs.pk}", f"article:{other.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        build_renditions(photo)
    after = versions(f"article:{theirs.pk}", f"article:{other.pk}")
    assert after[f"article:{theirs.pk}"] != before[f"article:{theirs.pk}"]
    assert after[f"article:{other.pk}"] == before[f"article:{other.pk}"]


@pytest.mark.django_db
def test_a_cache_outage_during_the_purges_never_breaks_a_save(django_capture_on_commit_callbacks):
    from django.test import override_settings

    from comments.models import ModerationSettings
    from pages.models import Page
    from tests.ads.factories import CreativeFactory

    nothing_listens = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=nothing_listens):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            SectionFactory(name="Trotzdem gespeichert")
            Page.objects.create(title="Kontakt", slug="kontakt")
            CreativeFactory(headline="Auch gespeichert")
            row = ModerationSettings.get()
            row.threads_per_page = 9
            row.save()
    assert len(callbacks) >= 4  # the purges ran (and failed quietly)
    assert ModerationSettings.objects.get().threads_per_page == 9
    assert Page.objects.filter(slug="kontakt").exists()
