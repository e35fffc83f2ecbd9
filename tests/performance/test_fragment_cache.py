"""Cached fragments of the article page (related teasers, comment thread, JSON-LD) are
never stale: each is stored with the page cache's tags, so the purge that follows a
publish, an edit, a comment approval or an ad change reaches them, and they end at the
next scheduled go-live or expiry as pages do (issue #14)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.models import Article
from comments import services as comment_services
from comments.models import Comment
from core import fragments
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]


@pytest.fixture
def section(db):
    return SectionFactory(name="Wirtschaft", slug="wirtschaft")


def publish(section, slug, *, hours_ago=1.0, tags=("Energie",), **kwargs):
    go_live = timezone.now() - timedelta(hours=hours_ago)
    return ArticleFactory(
        section=section,
        slug=slug,
        published=True,
        go_live_at=go_live,
        first_published_at=go_live,
        tags=list(tags),
        **kwargs,
    )


def stored_fragment_keys() -> list[str]:
    from django.core.cache import cache

    if hasattr(cache, "tracked"):  # Redis
        client = cache._cache.get_client()
        return [k.decode() for k in client.scan_iter("*fragment:*")]
    return [key for key in cache._cache if "fragment:" in key]  # LocMemCache's keys


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_render_takes_the_fragments_from_the_cache(client, section):
    article = publish(section, "strompreis")
    publish(section, "netzausbau", hours_ago=2)
    first = page(client, article)
    with CaptureQueriesContext(connection) as captured:
        second = page(client, article)
    assert second == first
    # The article's rows (``selectors.cached_article_page``), related teasers and the
    # comment thread all come from the cache: no query.
    assert [q["sql"] for q in captured] == []


def test_without_fragment_caches_every_render_builds_the_fragments(client, section, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    article = publish(section, "strompreis")
    publish(section, "netzausbau", hours_ago=2)
    page(client, article)
    with CaptureQueriesContext(connection) as captured:
        page(client, article)
    # Related teasers and the comment thread queried again; nothing stored.
    assert len(captured) > 3
    assert not stored_fragment_keys()


def test_an_edited_headline_reaches_the_cached_related_teasers(
    client, section, editor, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis")
    teaser = publish(section, "netzausbau", hours_ago=2, headline="Netzausbau stockt")
    assert "Netzausbau stockt" in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            actor=editor,
            article=teaser,
            expected_version=teaser.version,
            changes={"headline": "Netzausbau kommt voran"},
        )
    html = page(client, article)
    assert "Netzausbau kommt voran" in html
    assert "Netzausbau stockt" not in html


def test_every_edit_of_the_article_reaches_its_own_cached_fragments(
    client, section, editor, django_capture_on_commit_callbacks
):
    """Head (meta, JSON-LD), top (headline, byline, image) and end (tags, corrections,
    links) of the article page are fragments: each edit through the admin's services or
    its relations shows on the next render."""
    from articles.models import Author, Correction, RelatedLink

    article = publish(section, "strompreis", headline="Strompreis sinkt", lead="Erst einmal.")
    html = page(client, article)
    assert "Strompreis sinkt" in html and "Erst einmal." in html
    edits = [
        (
            lambda: services.article_update(
                actor=editor,
                article=Article.objects.get(pk=article.pk),
                expected_version=Article.objects.get(pk=article.pk).version,
                changes={"headline": "Strompreis steigt", "lead": "Doch nicht."},
            ),
            ["Strompreis steigt", "Doch nicht.", '"headline": "Strompreis steigt"'],
        ),
        (
            lambda: article.authors.add(Author.objects.create(name="Grete Neu", slug="grete-neu")),
            ["Grete Neu"],
        ),
        (lambda: article.tags.add("Netzentgelte"), ["Netzentgelte"]),
        (
            lambda: Correction.objects.create(article=article, text="Zahl berichtigt"),
            ["Zahl berichtigt"],
        ),
        (
            lambda: RelatedLink.objects.create(
                article=article, title="Bundesnetzagentur", url="https://www.bundesnetzagentur.de/"
            ),
            ["Bundesnetzagentur"],
        ),
    ]
    for edit, expected in edits:
        page(client, article)  # warm
        with django_capture_on_commit_callbacks(execute=True):
            edit()
        html = page(client, article)
        for text in expected:
            assert text in html, text
    assert "Strompreis sinkt" not in html


def test_a_newly_published_article_joins_the_cached_related_teasers(
    client, section, editor, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis", hours_ago=5)
    publish(section, "netzausbau", hours_ago=6)
    fresh = ArticleFactory(
        section=section, slug="windkraft", status="review", headline="Windkraft legt zu"
    )
    fresh.tags.add("Energie")
    assert "Windkraft legt zu" not in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=fresh)
    assert "Windkraft legt zu" in page(client, article)


def test_an_approved_comment_appears_in_the_cached_comment_thread(
    client, section, editor, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis")
    comment = Comment.objects.create(
        article=article, name="Erika", email="erika@example.org", text="Endlich eine Reform."
    )
    assert "Endlich eine Reform." not in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_approve(comment=comment, actor=editor)
    assert "Endlich eine Reform." in page(client, article)


def test_an_ad_change_makes_the_cached_fragments_stale(
    client, section, django_capture_on_commit_callbacks
):
    from tests.ads.factories import CreativeFactory

    article = publish(section, "strompreis")
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        CreativeFactory()
    with CaptureQueriesContext(connection) as captured:
        page(client, article)
    # Rebuilt (ads purge every page and with them every fragment): more than the article.
    assert len(captured) > 1


def test_an_expired_teaser_leaves_the_cached_related_teasers(client, section, monkeypatch):
    article = publish(section, "strompreis")
    soon = timezone.now() + timedelta(seconds=30)
    teaser = publish(section, "netzausbau", hours_ago=2, headline="Netzausbau stockt")
    Article.objects.filter(pk=teaser.pk).update(expires_at=soon)
    assert "Netzausbau stockt" in page(client, article)
    # The expiry passes without a write (no signal, no purge) ...
    Article.objects.filter(pk=teaser.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    later = soon.timestamp() + 1
    monkeypatch.setattr(fragments.time, "time", lambda: later)
    # ... and the fragment ended with it.
    assert "Netzausbau stockt" not in page(client, article)


def test_a_staff_preview_neither_reads_nor_fills_the_fragment_cache(admin_client, section):
    from django.core.cache import cache

    article = publish(section, "strompreis")
    cache.clear()
    response = admin_client.get(f"/admin/articles/article/{article.pk}/vorschau/")
    assert response.status_code == 200
    assert (
        "strompreis" in response.content.decode() or article.headline in response.content.decode()
    )
    assert not stored_fragment_keys()


@pytest.mark.slow
@pytest.mark.parametrize("cache_backend", ["redis"], indirect=True)
def test_a_warm_article_page_sends_nothing_to_redis(client, section, settings):
    """Fragments and the small configuration caches (navigation, ad slots, ticker index,
    breaking news) are held in process memory while no purge happened anywhere."""
    from tests.ads.factories import CreativeFactory, SlotFactory
    from tests.performance.test_page_cache_round_trips import round_trips

    SlotFactory(code="article_top")
    CreativeFactory()
    article = publish(section, "strompreis")
    publish(section, "netzausbau", hours_ago=2)
    first = page(client, article)
    page(client, article)  # the epoch is pushed to this process after the first request
    pages: list[str] = []
    sent = round_trips(
        settings.CACHES["default"]["LOCATION"], lambda: pages.append(page(client, article))
    )
    assert pages == [first]
    assert sent == []


def test_a_fragment_built_while_a_purge_happened_is_served_but_not_kept():
    """A publish that commits while a fragment is being built: the fragment may hold the
    rows from before it, so it is not stored as fresh (the next read builds it again)."""
    from core import pagecache

    builds: list[str] = []

    def build():
        builds.append(f"v{len(builds) + 1}")
        if len(builds) == 1:
            pagecache.invalidate("articles")  # committed by another request meanwhile
        return builds[-1], ["articles"]

    assert fragments.cached("probe", 1, build=build)[0] == "v1"
    assert fragments.cached("probe", 1, build=build)[0] == "v2"
    assert fragments.cached("probe", 1, build=build)[0] == "v2"
    assert builds == ["v1", "v2"]


def test_an_unpublished_article_leaves_at_once_despite_its_cached_rows(
    client, section, editor, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis")
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(actor=editor, article=Article.objects.get(pk=article.pk))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_moved_article_redirects_despite_its_cached_rows(
    client, section, editor, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis")
    old_url = article.get_absolute_url()
    page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            actor=editor,
            article=Article.objects.get(pk=article.pk),
            expected_version=Article.objects.get(pk=article.pk).version,
            changes={"slug": "strompreise"},
        )
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/wirtschaft/strompreise/")


def test_an_address_not_found_is_not_kept_for_the_article_published_there(
    client, section, editor, django_capture_on_commit_callbacks
):
    """A 404 is never stored: no purge would announce the article published later."""
    draft = ArticleFactory(section=section, slug="windkraft", status="review")
    url = f"/{section.slug}/windkraft/"
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=draft)
    assert client.get(url).status_code == 200


def test_the_article_expires_from_its_cached_rows_without_a_write(client, section, monkeypatch):
    article = publish(section, "strompreis")
    soon = timezone.now() + timedelta(seconds=30)
    Article.objects.filter(pk=article.pk).update(expires_at=soon)
    page(client, Article.objects.get(pk=article.pk))
    Article.objects.filter(pk=article.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    later = soon.timestamp() + 1
    monkeypatch.setattr(fragments.time, "time", lambda: later)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_renamed_section_reaches_the_cached_article_rows(
    client, section, django_capture_on_commit_callbacks
):
    article = publish(section, "strompreis")
    assert "Wirtschaft" in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Ökonomie"
        section.save()
    html = page(client, Article.objects.get(pk=article.pk))
    assert 'class="article__breadcrumb"><a href="/wirtschaft/">Ökonomie</a>' in html
