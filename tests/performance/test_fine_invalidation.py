"""Finer invalidation (issue #15, item 4): a typo fix in one article refreshes that
article and the pages that show it (front, its section, its tags, teasers), not the whole
site; and after each kind of change no cached page shows stale content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from core import pagecache
from tests.factories import ArticleFactory, SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.local_entries.clear()
    yield
    pagecache.local_entries.clear()


def publish(section, slug, *, hours_ago=1.0, tags=(), **kwargs):
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


@pytest.fixture
def site(db):
    wirtschaft = SectionFactory(name="Wirtschaft", slug="wirtschaft")
    sport = SectionFactory(name="Sport", slug="sport")
    typo = publish(wirtschaft, "strompreis", headline="Strompreis sinkt", tags=["Energie"])
    publish(wirtschaft, "netzausbau", hours_ago=2, tags=["Energie"])
    # Sport fills its own related teasers: its pages never show the Wirtschaft article.
    others = [publish(sport, f"spiel-{i}", hours_ago=3 + i, tags=["Fussball"]) for i in range(4)]
    return {"typo": typo, "wirtschaft": wirtschaft, "sport": sport, "unrelated": others[0]}


def urls(site) -> dict[str, str]:
    return {
        "article": site["typo"].get_absolute_url(),
        "home": "/",
        "section": "/wirtschaft/",
        "tag": "/thema/energie/",
        "unrelated article": site["unrelated"].get_absolute_url(),
        "unrelated section": "/sport/",
    }


def edit(editor, article, **changes):
    article.refresh_from_db()
    return services.article_update(
        actor=editor, article=article, expected_version=article.version, changes=changes
    )


def fill(client, site) -> None:
    for url in urls(site).values():
        assert client.get(url).status_code == 200
        assert client.get(url)["X-Page-Cache"] == "HIT", url


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


def test_a_typo_fix_refreshes_the_article_and_its_lists_not_the_whole_site(
    client, site, editor, django_capture_on_commit_callbacks
):
    typo = site["typo"]
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor, typo, dateline="Berlin")  # a revision to compare the next edit with
    fill(client, site)
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor, typo, headline="Strompreis sinkt deutlich")
    for name in ("article", "home", "section", "tag"):
        state, html = fetch(client, urls(site)[name])
        assert state == "MISS", name
        assert "Strompreis sinkt deutlich" in html, name
    for name in ("unrelated article", "unrelated section"):
        state, _html = fetch(client, urls(site)[name])
        assert state == "HIT", name


def test_a_published_article_appears_on_every_list_it_joins(
    client, site, editor, django_capture_on_commit_callbacks
):
    fill(client, site)
    fresh = ArticleFactory(
        section=site["wirtschaft"], slug="windkraft", status="review", headline="Windkraft legt zu"
    )
    fresh.tags.add("Energie")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=fresh)
    for name in ("home", "section", "tag", "article"):
        _state, html = fetch(client, urls(site)[name])
        assert "Windkraft legt zu" in html, name


def test_a_withdrawn_article_leaves_every_page_that_showed_it(
    client, site, editor, django_capture_on_commit_callbacks
):
    fill(client, site)
    typo = site["typo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(actor=editor, article=typo)
    for name in ("home", "section", "tag"):
        _state, html = fetch(client, urls(site)[name])
        assert "Strompreis sinkt" not in html, name
    assert client.get(urls(site)["article"]).status_code in (301, 404)


def test_moving_an_article_to_another_section_updates_both_sections(
    client, site, editor, django_capture_on_commit_callbacks
):
    typo = site["typo"]
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor, typo, dateline="Berlin")  # a revision to compare the move with
    fill(client, site)
    with django_capture_on_commit_callbacks(execute=True):
        edit(editor, typo, section=site["sport"])
    assert "Strompreis sinkt" not in fetch(client, "/wirtschaft/")[1]
    assert "Strompreis sinkt" in fetch(client, "/sport/")[1]


def test_a_new_tag_puts_the_article_on_that_tag_page(
    client, site, editor, django_capture_on_commit_callbacks
):
    fill(client, site)
    client.get("/thema/fussball/")
    typo = site["typo"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            actor=editor,
            article=typo,
            expected_version=typo.version,
            tags=["Energie", "Fussball"],
        )
    assert "Strompreis sinkt" in fetch(client, "/thema/fussball/")[1]


def test_a_correction_shows_on_the_article_at_once(
    client, site, django_capture_on_commit_callbacks
):
    from articles.models import Correction

    fill(client, site)
    with django_capture_on_commit_callbacks(execute=True):
        Correction.objects.create(article=site["typo"], text="Der Preis sinkt um 3, nicht 5 %.")
    assert "nicht 5 %" in fetch(client, urls(site)["article"])[1]
    assert fetch(client, urls(site)["unrelated section"])[0] == "HIT"


def test_renaming_a_section_still_refreshes_every_page(
    client, site, django_capture_on_commit_callbacks
):
    fill(client, site)
    section = site["sport"]
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Sport und Spiel"
        section.save()
    for name, url in urls(site).items():
        state, html = fetch(client, url)
        assert state == "MISS", name
        assert "Sport und Spiel" in html, name
