"""A compiled query answers exactly what its queryset answers, for any values (issue #14:
the article page's query is built and compiled once per process, ``core.compiled``)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from articles import selectors
from articles.models import Article, Correction, RelatedLink
from core.compiled import CompiledQuery
from tests.factories import AgencyFactory, ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

SAMPLE_TIME = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


def snapshot(article: Article | None) -> dict | None:
    """Everything the article page reads from the query's one row."""
    if article is None:
        return None
    page = selectors.article_page_for(article)
    return {
        "fields": {f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields},
        "section": (article.section.pk, article.section.name),
        "agency": article.agency and article.agency.name,
        "authors": [a.name for a in page.authors],
        "tags": [t.name for t in page.tags],
        "corrections": [c.text for c in page.corrections],
        "links": [(link.title, link.url) for link in page.related_links],
        "versions": [(v.pk, v.language) for v in page.versions],
    }  # fmt: skip


def through_the_orm(*, section_slug: str, slug: str, at: datetime) -> Article | None:
    return (
        selectors._article_detail_queryset(Article.objects.published(at=at), at=at)
        .filter(section__slug=section_slug, slug=slug)
        .first()
    )


def test_the_compiled_article_query_answers_as_the_queryset_for_any_article_and_time():
    now = timezone.now()
    politik, kultur = SectionFactory(slug="politik"), SectionFactory(slug="kultur")
    rich = ArticleFactory(
        section=politik, slug="haushalt", published=True, go_live_at=now - timedelta(days=2),
        agency=AgencyFactory(name="dpa"), authors=[AuthorFactory(name="Ada"), AuthorFactory(name="Bo")],
        tags=["Haushalt", "Bundestag"],
    )  # fmt: skip
    Correction.objects.create(article=rich, text="Zahl berichtigt")
    RelatedLink.objects.create(article=rich, title="Bundestag", url="https://bundestag.de/")
    ArticleFactory(
        section=politik, slug="budget", language="en", translation_of=rich, published=True,
        go_live_at=now - timedelta(days=1),
    )  # fmt: skip
    ArticleFactory(section=kultur, slug="oper", published=True, go_live_at=now + timedelta(hours=3))
    ArticleFactory(
        section=kultur, slug="museum", published=True, go_live_at=now - timedelta(days=3),
        expires_at=now - timedelta(hours=1),
    )  # fmt: skip
    ArticleFactory(section=kultur, slug="entwurf", published=False)

    compiled = CompiledQuery(
        selectors._published_article_at, section_slug="s:section", slug="s:slug", at=SAMPLE_TIME
    )
    times = [
        now,
        now - timedelta(days=1, hours=12),
        now + timedelta(hours=4),
        now - timedelta(days=5),
    ]
    urls = [("politik", "haushalt"), ("politik", "budget"), ("kultur", "oper"),
            ("kultur", "museum"), ("kultur", "entwurf"), ("kultur", "haushalt"), ("x", "y")]  # fmt: skip
    answered = 0
    for at in times:
        for section_slug, slug in urls:
            found = compiled(section_slug=section_slug, slug=slug, at=at)
            expected = through_the_orm(section_slug=section_slug, slug=slug, at=at)
            assert snapshot(found[0] if found else None) == snapshot(expected), (slug, at)
            answered += bool(found)
    assert answered >= 6  # published, translated, scheduled and expired cases all met


def test_the_article_page_uses_the_compiled_query_and_one_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = ArticleFactory(published=True, tags=["Energie"])
    with CaptureQueriesContext(connection) as captured:
        page = selectors.article_page(section_slug=article.section.slug, slug=article.slug)
    assert page is not None and page.article.pk == article.pk
    assert [t.name for t in page.tags] == ["Energie"]
    assert len(captured) == 1


def test_a_time_taken_inside_the_build_is_refused():
    def build(*, slug: str) -> QuerySet[Article]:
        return Article.objects.published().filter(slug=slug)  # now() frozen at compile

    with pytest.raises(ValueError, match="not parameters"):
        CompiledQuery(build, slug="s:slug")(slug="x")


def test_a_parameter_that_never_reaches_the_sql_is_refused():
    def build(*, slug: str, only_news: bool) -> QuerySet[Article]:
        articles = Article.objects.filter(slug=slug)
        return articles.filter(kicker="") if only_news else articles

    with pytest.raises(ValueError, match="only_news"):
        CompiledQuery(build, slug="s:slug", only_news=True)(slug="x", only_news=False)


@pytest.mark.django_db(transaction=True)
def test_a_query_compiled_in_one_thread_runs_in_another():
    import threading

    from django.db import connection

    article = ArticleFactory(published=True)
    compiled = CompiledQuery(
        selectors._published_article_at, section_slug="s:section", slug="s:slug", at=SAMPLE_TIME
    )
    found: list = []

    def read() -> None:
        try:
            found.append(
                compiled(section_slug=article.section.slug, slug=article.slug, at=timezone.now())
            )
        finally:
            connection.close()

    read_in = threading.Thread(target=read)
    read()  # compiled here
    read_in.start()
    read_in.join()
    assert [[a.pk for a in answer] for answer in found] == [[article.pk], [article.pk]]


def teaser_snapshot(teasers: list[Article]) -> list[tuple]:
    """What a related teaser shows, in order: id, group, section, image renditions."""
    return [
        (
            t.pk, t.headline, t.fill_group, t.section.slug, t.teaser_image_id,
            [(r.format, r.width, r.file.name)
             for r in (t.teaser_image.renditions.all() if t.teaser_image else [])],
        )
        for t in teasers
    ]  # fmt: skip


def test_the_compiled_related_teasers_answer_as_the_queryset_for_any_article_and_time():
    from articles.models import ImageRendition, RelatedArticle
    from tests.factories import ImageFactory

    now = timezone.now()
    politik, kultur = SectionFactory(slug="politik"), SectionFactory(slug="kultur")
    image = ImageFactory()
    for width in (640, 320):
        ImageRendition.objects.create(
            image=image, spec=f"16x9-w{width}", format="jpeg", width=width,
            height=width * 9 // 16, file=f"r/{width}.jpg",
        )  # fmt: skip
    articles = [
        ArticleFactory(
            section=politik if i % 2 else kultur, published=True, slug=f"a{i}",
            go_live_at=now - timedelta(hours=i), tags=["Energie"] if i % 3 == 0 else ["Bau"],
            teaser_image=image if i % 4 == 0 else None,
        )
        for i in range(1, 15)
    ]  # fmt: skip
    ArticleFactory(section=politik, published=True, go_live_at=now + timedelta(hours=2))
    ArticleFactory(
        section=politik, published=True, language="en", translation_of=articles[2],
        go_live_at=now - timedelta(hours=1),
    )  # fmt: skip
    RelatedArticle.objects.create(article=articles[0], related=articles[12], position=1)
    RelatedArticle.objects.create(article=articles[0], related=articles[9], position=0)
    tag_sets = {a.pk: [t.pk for t in a.tags.all()] for a in articles}
    tag_sets[articles[1].pk] = []  # an article without tags
    for at in (now, now - timedelta(hours=6), now + timedelta(hours=3)):
        for language in ("de", "en"):
            for article in articles:
                values = {
                    "article_id": article.pk, "section_id": article.section_id,
                    "tag_ids": tag_sets[article.pk], "excluded": [article.pk],
                    "language": language, "at": at,
                }  # fmt: skip
                found = selectors._RELATED_TEASERS(**values)
                expected = list(selectors._related_queryset(**values))
                for teaser in [*found, *expected]:
                    selectors._renditions_from_rows(teaser)
                assert teaser_snapshot(found) == teaser_snapshot(expected), (article.slug, at)
    groups = {t.fill_group for t in selectors.related_teasers(article=articles[0])}
    assert {0, 1} <= groups  # hand-picked and tag-sharing teasers met


def test_a_list_bound_item_by_item_is_refused():
    def build(*, ids: list[int]) -> QuerySet[Article]:
        return Article.objects.filter(pk__in=ids)  # one placeholder per sample item

    with pytest.raises(ValueError, match="one by one"):
        CompiledQuery(build, ids=[900_000_001, 900_000_002])(ids=[1])


def test_the_compiled_home_queries_answer_as_their_querysets_for_any_time_and_language():
    from articles.models import ImageRendition
    from tests.factories import ImageFactory

    now = timezone.now()
    sections = [SectionFactory(slug=f"s{i}", order=i % 2) for i in range(3)]
    image = ImageFactory()
    ImageRendition.objects.create(
        image=image, spec="16x9-w320", format="jpeg", width=320, height=180, file="r/320.jpg"
    )
    articles = [
        ArticleFactory(
            section=sections[i % 3], published=True, go_live_at=now - timedelta(hours=i),
            teaser_image=image if i % 3 == 0 else None,
        )
        for i in range(1, 30)
    ]  # fmt: skip
    ArticleFactory(
        section=sections[0], published=True, language="en", translation_of=articles[0],
        go_live_at=now - timedelta(minutes=30),
    )  # fmt: skip
    ArticleFactory(section=sections[1], published=True, go_live_at=now + timedelta(hours=5))
    for at in (now, now - timedelta(hours=20), now + timedelta(hours=6), now - timedelta(days=3)):
        for language in ("de", "en"):
            values = {"language": language, "at": at}
            lead = selectors._HOME_LEAD(**values)
            assert teaser_snapshot_of(lead) == teaser_snapshot_of(
                list(selectors._home_lead_queryset(**values))
            )
            excluded = [lead[0].pk] if lead else []
            blocks = selectors._HOME_BLOCKS(excluded=excluded, **values)
            expected = selectors._home_blocks_queryset(
                excluded=excluded, per_section=selectors.HOME_ARTICLES_PER_SECTION, **values
            )
            assert teaser_snapshot_of(blocks) == teaser_snapshot_of(list(expected)), (at, language)
            assert selectors._HOME_OLDER(**values) == list(selectors._home_older_queryset(**values))


def teaser_snapshot_of(teasers: list[Article]) -> list[tuple]:
    for teaser in teasers:
        selectors._renditions_from_rows(teaser)
    return [
        (t.pk, t.section.slug, getattr(t, "row", None),
         [r.file.name for r in (t.teaser_image.renditions.all() if t.teaser_image else [])])
        for t in teasers
    ]  # fmt: skip


def test_a_sections_compiled_first_page_is_the_paginated_one_for_any_time_and_language():
    """``section_first_page`` (two compiled queries) against ``paginate`` of the section's
    queryset: same teasers in the same order, renditions, count, pages, next page."""
    from django.utils import translation

    from articles.models import ImageRendition
    from tests.factories import ImageFactory

    now = timezone.now()
    crowded, quiet, empty = (SectionFactory(slug=s) for s in ("voll", "ruhig", "leer"))
    image = ImageFactory()
    ImageRendition.objects.create(
        image=image, spec="16x9-w320", format="jpeg", width=320, height=180, file="r/320.jpg"
    )
    originals = [
        ArticleFactory(
            section=crowded if i % 5 else quiet, published=True,
            go_live_at=now - timedelta(hours=i), teaser_image=image if i % 3 == 0 else None,
        )
        for i in range(1, 40)
    ]  # fmt: skip
    ArticleFactory(
        section=crowded, published=True, language="en", translation_of=originals[1],
        go_live_at=now - timedelta(minutes=30),
    )  # fmt: skip
    ArticleFactory(section=crowded, published=True, go_live_at=now + timedelta(hours=5))
    ArticleFactory(section=quiet, published=False, go_live_at=now - timedelta(hours=1))
    for section in (crowded, quiet, empty):
        for language in ("de", "en"):
            with translation.override(language):
                compiled = selectors.section_first_page(section=section)
                expected = selectors.paginate(selectors.section_articles(section=section), number=1)
            assert teaser_snapshot_of(compiled.object_list) == [
                (t.pk, t.section.slug, None, [r.file.name for r in t.teaser_image.renditions.all()]
                 if t.teaser_image else [])
                for t in expected.object_list
            ], (section.slug, language)  # fmt: skip
            assert compiled.paginator.count == expected.paginator.count
            assert compiled.paginator.num_pages == expected.paginator.num_pages
            assert compiled.has_next() == expected.has_next()
    assert selectors.section_first_page(section=crowded).paginator.count == 32
    for at in (now - timedelta(hours=20), now + timedelta(hours=6)):
        values = {"section_id": crowded.pk, "language": "de", "at": at}
        assert teaser_snapshot_of(selectors._SECTION_FIRST_PAGE(**values)) == teaser_snapshot_of(
            list(selectors._section_first_page_queryset(**values))
        )
        assert selectors._SECTION_COUNT(**values) == list(
            selectors._section_count_queryset(**values)
        )
