"""Home, section, tag, author and archive fronts with pagination."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_home_shows_lead_story_then_latest_per_section_without_duplicates(client, published):
    politik = SectionFactory(name="Politik", slug="politik", order=0)
    published(headline="Älteres aus der Wirtschaft", hours_ago=5)
    published(headline="Politik am Morgen", hours_ago=3, section=politik)
    published(headline="Der Aufmacher", hours_ago=0.1)
    text = client.get("/").text
    assert text.index("Der Aufmacher") < text.index("Politik am Morgen")
    assert text.count("Der Aufmacher") == 1
    assert text.index('id="ressort-politik"') < text.index('id="ressort-wirtschaft"')
    assert "Älteres aus der Wirtschaft" in text


def test_home_links_to_older_articles_with_rel_next(client, published):
    for hours in range(22):
        published(hours_ago=hours + 1)
    text = client.get("/").text
    assert '<link rel="next" href="/?seite=2">' in text
    page2 = client.get("/?seite=2")
    assert page2.status_code == 200
    assert '<link rel="prev" href="/">' in page2.text
    assert "Alle Nachrichten – Seite 2" in page2.text


def test_home_without_older_articles_has_no_next_link(client, published):
    published()
    assert 'rel="next"' not in client.get("/").text


def test_section_front_is_paginated_with_prev_and_next(client, published):
    for hours in range(45):
        published(headline=f"Meldung {hours:02d}", hours_ago=hours + 1)
    first = client.get("/wirtschaft/")
    assert "<title>Wirtschaft – Nachrichten – newsroom</title>" in first.text
    assert '<link rel="next" href="/wirtschaft/?seite=2">' in first.text
    assert 'rel="prev"' not in first.text
    assert "Meldung 00" in first.text and "Meldung 20" not in first.text
    second = client.get("/wirtschaft/?seite=2")
    assert "Wirtschaft – Seite 2" in second.text
    assert '<link rel="prev" href="/wirtschaft/">' in second.text
    assert '<link rel="next" href="/wirtschaft/?seite=3">' in second.text
    assert "Meldung 20" in second.text
    assert client.get("/wirtschaft/?seite=9").status_code == 404
    assert client.get("/wirtschaft/?seite=abc").status_code == 404


def test_section_shows_only_its_published_articles(client, published, section):
    published(headline="Sichtbar")
    ArticleFactory(headline="Entwurf", section=section)
    published(headline="Anderswo", section=SectionFactory(name="Sport", slug="sport"))
    text = client.get("/wirtschaft/").text
    assert "Sichtbar" in text and "Entwurf" not in text and "Anderswo" not in text


def test_unknown_section_is_404(client, db):
    assert client.get("/gibt-es-nicht/").status_code == 404


def test_tag_page_lists_tagged_articles(client, published):
    published(headline="Mit Tag", tags=["Energiewende"])
    published(headline="Ohne Tag")
    response = client.get("/thema/energiewende/")
    assert response.status_code == 200
    assert "<title>Thema: Energiewende – newsroom</title>" in response.text
    assert "Mit Tag" in response.text and "Ohne Tag" not in response.text
    assert 'href="/thema/energiewende/feed/"' in response.text
    assert client.get("/thema/unbekannt/").status_code == 404


def test_author_page_lists_their_published_articles(client, published, section):
    author = AuthorFactory(name="Erika Muster", slug="erika-muster", bio="Schreibt über Energie.")
    published(headline="Von Erika", authors=[author])
    ArticleFactory(headline="Erikas Entwurf", section=section, authors=[author])
    published(headline="Von jemand anderem")
    response = client.get("/autor/erika-muster/")
    assert "<title>Artikel von Erika Muster – newsroom</title>" in response.text
    assert "Von Erika" in response.text
    assert "Erikas Entwurf" not in response.text and "Von jemand anderem" not in response.text


def test_date_archive_uses_berlin_days(client, section):
    tz = timezone.get_current_timezone()
    just_after_midnight = datetime(2024, 3, 5, 0, 30, tzinfo=tz)  # 23:30 UTC on 4 March
    ArticleFactory(
        section=section,
        headline="Kurz nach Mitternacht",
        published=True,
        go_live_at=just_after_midnight,
    )
    ArticleFactory(
        section=section,
        headline="Am Vortag",
        published=True,
        go_live_at=just_after_midnight - timedelta(hours=1),
    )
    day = client.get("/archiv/2024/03/05/")
    assert day.status_code == 200
    assert "Archiv vom 5. März 2024" in day.text
    assert "Kurz nach Mitternacht" in day.text and "Am Vortag" not in day.text
    assert 'href="/archiv/2024/03/04/"' in day.text
    month = client.get("/archiv/2024/03/").text
    assert "Archiv März 2024" in month and "Am Vortag" in month
    assert "Kurz nach Mitternacht" in client.get("/archiv/2024/").text


def test_day_archive_links_to_the_nearest_days_with_articles(client, section):
    """Not to the calendar neighbours: "previous day" links must end at the oldest article
    instead of leading crawlers through empty days back to the year 1900."""
    tz = timezone.get_current_timezone()
    for day in (date(2024, 3, 1), date(2024, 3, 5), date(2024, 3, 9)):
        ArticleFactory(
            section=section,
            headline=f"Am {day:%d}.",
            published=True,
            go_live_at=datetime.combine(day, time(12), tzinfo=tz),
        )
    middle = client.get("/archiv/2024/03/05/").text
    assert 'href="/archiv/2024/03/01/"' in middle and 'href="/archiv/2024/03/09/"' in middle
    assert "/archiv/2024/03/04/" not in middle and "/archiv/2024/03/06/" not in middle
    empty = client.get("/archiv/2024/03/07/").text
    assert 'href="/archiv/2024/03/05/"' in empty and 'href="/archiv/2024/03/09/"' in empty
    oldest = client.get("/archiv/2024/03/01/").text
    assert 'href="/archiv/2024/03/05/"' in oldest and "/archiv/2024/02/" not in oldest


def test_impossible_archive_dates_are_404(client, db):
    assert client.get("/archiv/2024/02/30/").status_code == 404
    assert client.get("/archiv/2024/13/").status_code == 404


def test_archive_hides_unpublished(client, section):
    ArticleFactory(section=section, headline="Zurückgezogen", status=Article.Status.UNPUBLISHED)
    assert "Zurückgezogen" not in client.get("/archiv/").text


@pytest.mark.parametrize(
    ("path", "canonical"),
    [("/", "/"), ("/wirtschaft/", "/wirtschaft/"), ("/archiv/", "/archiv/"),
     ("/en/wirtschaft/", "/wirtschaft/")],
)  # fmt: skip
def test_every_page_of_a_list_is_its_own_canonical(client, published, path, canonical):
    """Page 2 lists other articles than page 1: pointing its canonical at page 1 asks
    search engines to drop it (and the older articles only it links to). The English
    interface of a list names the German list (the same articles) as canonical."""
    for hours in range(25):
        published(hours_ago=hours + 1)
    site = "http://127.0.0.1:8000"
    first = client.get(path).text
    assert f'<link rel="canonical" href="{site}{canonical}">' in first
    second = client.get(f"{path}?seite=2&utm_source=x").text
    assert f'<link rel="canonical" href="{site}{canonical}?seite=2">' in second
    assert f'<meta property="og:url" content="{site}{canonical}?seite=2">' in second
    assert f'<link rel="canonical" href="{site}{canonical}">' in client.get(f"{path}?seite=1").text


def test_list_pages_reach_back_a_bounded_number_of_pages(client, monkeypatch, published):
    from articles import selectors

    monkeypatch.setattr(selectors, "MAX_LIST_PAGES", 1)
    for hours in range(25):
        published(hours_ago=hours + 1)
    assert client.get("/wirtschaft/").status_code == 200
    assert client.get("/wirtschaft/?seite=2").status_code == 404


@pytest.mark.parametrize(
    "url", ["/archiv/0001/", "/archiv/0001/01/01/", "/archiv/9999/", "/archiv/1899/12/"]
)
def test_archive_dates_outside_the_archive_years_are_404(client, db, url):
    assert client.get(url).status_code == 404


def test_section_front_links_every_page_by_number(client, published):
    for hours in range(130):
        published(headline=f"Meldung {hours:03d}", hours_ago=hours + 1)
    text = client.get("/wirtschaft/?seite=4").text
    pager = re.search(r'<ol class="pagination__pages">.*?</ol>', text, re.S).group(0)
    pages = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>', pager)
    assert [url for url, _current in pages] == [
        "/wirtschaft/",
        "/wirtschaft/?seite=2",
        "/wirtschaft/?seite=3",
        "/wirtschaft/?seite=4",
        "/wirtschaft/?seite=5",
        "/wirtschaft/?seite=6",
        "/wirtschaft/?seite=7",
    ]
    assert [url for url, current in pages if current] == ["/wirtschaft/?seite=4"]
    first = client.get("/wirtschaft/").text
    assert '<li class="pagination__gap" aria-hidden="true">…</li>' in first
    assert 'href="/wirtschaft/?seite=7"' in first  # the last page, linked from the first


def test_archive_is_navigable_by_year_month_and_day(client, section):
    tz = timezone.get_current_timezone()
    for moment in (
        datetime(2023, 11, 5, 10, tzinfo=tz),
        datetime(2024, 3, 14, 9, tzinfo=tz),
        datetime(2024, 3, 14, 18, tzinfo=tz),
        datetime(2024, 3, 20, 8, tzinfo=tz),
        datetime(2024, 7, 1, 12, tzinfo=tz),
    ):
        ArticleFactory(section=section, published=True, go_live_at=moment)
    index = client.get("/archiv/").text
    assert 'href="/archiv/2023/"' in index and 'href="/archiv/2024/"' in index
    assert "(4 Artikel)" in index
    year = client.get("/archiv/2024/").text
    assert (
        'href="/archiv/2024/03/">März</a> <span class="archive-periods__count">(3 Artikel)' in year
    )
    assert 'href="/archiv/2024/07/"' in year and "/archiv/2024/05/" not in year
    month = client.get("/archiv/2024/03/").text
    assert 'href="/archiv/2024/03/14/">14. März</a>' in month
    assert 'href="/archiv/2024/03/20/"' in month
    day = client.get("/archiv/2024/03/14/").text
    trail = re.search(r'<nav class="archive-trail".*?</nav>', day, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', trail) == ["/archiv/", "/archiv/2024/", "/archiv/2024/03/"]


def test_every_page_frame_shows_its_own_section_language_switch_and_navigation(
    client, settings, django_capture_on_commit_callbacks
):
    """The frame (header, footer, head links) is kept in process memory by what it shows
    (``reader.page_chrome``): pages that differ in any of it never share a copy."""
    settings.DEBUG = False
    SectionFactory(name="Wirtschaft", slug="wirtschaft")
    SectionFactory(name="Politik", slug="politik")

    def current(html: str) -> list[str]:
        return re.findall(r'<a href="([^"]+)" aria-current="page">', html)

    def switch(html: str) -> list[str]:
        return re.findall(r'<a class="language-switch" href="([^"]+)"', html)

    for _ in range(2):  # the second round from memory
        wirtschaft, politik = client.get("/wirtschaft/").text, client.get("/politik/").text
        english = client.get("/en/politik/").text
        assert current(wirtschaft) == ["/wirtschaft/"] and switch(wirtschaft) == ["/en/wirtschaft/"]
        assert current(politik) == ["/politik/"] and switch(politik) == ["/en/politik/"]
        assert current(english) == ["/en/politik/"] and switch(english) == ["/politik/"]
        assert 'aria-label="Ressorts"' in politik and 'aria-label="Sections"' in english
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory(name="Kultur", slug="kultur")
    assert '<a href="/kultur/">Kultur</a>' in client.get("/politik/").text
