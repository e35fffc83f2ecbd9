"""Reads for the reader pages: one function per page fragment.

Every selector starts from ``Article.objects.published()`` (the one definition
of "visible to readers") and has a fixed query budget, noted in its docstring:
the number of queries does not grow with the number of authors, tags,
corrections, related items or the page size. None of them writes anything.
The desk's reads for the admin (an article's workflow timeline) are at the end.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchHeadline
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    JSONField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, JSONObject, RowNumber, Trunc
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem

from articles import search
from articles.body import BodyParts, split_body
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleSearch,
    Author,
    Correction,
    Image,
    ImageRendition,
    RelatedArticle,
    RelatedLink,
    Section,
)
from core import fragments, pagecache
from core.compiled import CompiledQuery
from core.models import AuditEntry
from core.sanitize import clean_body_html

logger = logging.getLogger(__name__)

RELATED_TEASER_COUNT = 3
HOME_ARTICLES_PER_SECTION = 4
FRONT_PAGE_SIZE = 20
SEARCH_PAGE_SIZE = 10
# Search ranks the newest matches only: a common word can match most of the
# archive, and ranking every match would make search slower as the archive
# grows. Readers of a news site want recent results; 1,000 is 100 pages.
SEARCH_CANDIDATES = 1000
SEARCH_MAX_QUERY_LENGTH = 200
NEWS_SITEMAP_WINDOW = timedelta(days=2)
NAVIGATION_CACHE_SECONDS = 60
NAVIGATION_CACHE_KEY = "reader:navigation"

# Private-use code points as highlight markers: they never occur in editorial
# text, so after escaping the snippet they can be swapped for <mark> safely.
_MARK_START = "\ue000"
_MARK_STOP = "\ue001"


# --- Shared building blocks -----------------------------------------------------


def reader_language() -> str:
    """The interface language of the page being rendered (from its URL prefix)."""
    return translation.get_language() or settings.LANGUAGE_CODE


def teaser_queryset(
    *, language: str | None = None, at: datetime | None = None
) -> QuerySet[Article]:
    """Published articles (at ``at``, default now) with what a teaser shows (section,
    teaser image), each story once in ``language`` (default the reader's,
    ``ArticleQuerySet.for_language``).

    The body is deferred: teasers never show it.
    """
    at = at or timezone.now()
    return (
        Article.objects.published(at=at)
        .for_language(language or reader_language(), at=at)
        .select_related("section", "teaser_image")
        .defer("body")
    )


def attach_renditions(articles: Iterable[Article | None]) -> None:
    """Load the renditions of all teaser images of ``articles`` in ONE query.

    Works across lists (article + its related teasers, lead + section blocks),
    which a per-queryset ``prefetch_related`` could not do. No query when there
    are no images.
    """
    # A set teaser_image_id means teaser_image is not None.
    images: list[Image] = [a.teaser_image for a in articles if a and a.teaser_image_id]  # type: ignore[misc]
    if images:
        prefetch_related_objects(
            images,
            Prefetch("renditions", queryset=ImageRendition.objects.order_by("format", "width")),
        )


def published_at(article: Article) -> datetime | None:
    """When readers first could see the article.

    ``first_published_at`` unless it lies after the go-live time (a re-publish
    never makes an article look newer than it is), else ``go_live_at``.
    """
    first, live = article.first_published_at, article.go_live_at
    if first and live:
        return min(first, live)
    return first or live


def was_updated(article: Article) -> bool:
    """True when the article changed noticeably after publication (shown as "aktualisiert")."""
    published = published_at(article)
    return bool(published and article.updated_at - published > timedelta(minutes=5))


def _tagged_with(tag_ids: list[int]) -> Exists:
    """EXISTS subquery: the outer article carries one of ``tag_ids`` (one array
    parameter, ``_IsAnyOf``).

    A subquery instead of a join through taggit's generic relation: no
    duplicate rows, and it avoids taggit's deprecated join SQL.
    """
    return Exists(
        TaggedItem.objects.filter(
            _IsAnyOf("tag_id", tag_ids),
            content_type__app_label="articles",
            content_type__model="article",
            object_id=OuterRef("pk"),
        )
    )


# --- Navigation (header and footer) -------------------------------------------


def site_navigation() -> dict:
    """Sections for the header and static pages for the footer.

    Two queries, cached for a minute in Django's cache (shared by all app
    servers with Redis; a configuration cache like the ad slots', so it stays on with
    ``FRAGMENT_CACHE_ENABLED=0``); dropped when a section or a static page changes
    (``forget_site_navigation``), so a page re-rendered after the change never
    stores the old navigation. Held in process memory while no purge happened
    (``core.pagecache.remembered``): usually no round trip.
    """

    def load() -> dict:
        from pages.models import Page as StaticPage

        return {
            "sections": [(s.name, s.slug) for s in Section.objects.only("name", "slug", "order")],
            "pages": [
                (p.title, p.slug)
                for p in StaticPage.objects.filter(show_in_footer=True).only(
                    "title", "slug", "footer_order"
                )
            ],
        }

    def shared() -> dict:
        try:
            # load() returns a dict, so get_or_set() never gives None.
            return cache.get_or_set(NAVIGATION_CACHE_KEY, load, NAVIGATION_CACHE_SECONDS)  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - cache (Redis) down: read the database, never a 500
            logger.warning("navigation: cache unavailable", exc_info=True)
            return load()

    return pagecache.remembered(NAVIGATION_CACHE_KEY, NAVIGATION_CACHE_SECONDS, shared)


def forget_site_navigation() -> None:
    """Drop the cached navigation (called by ``newsroom.purges`` when a section or a
    static page changed). Side effect: one cache delete; never raises."""
    try:
        cache.delete(NAVIGATION_CACHE_KEY)
    except Exception:  # noqa: BLE001 - the copy expires within a minute anyway
        logger.warning("navigation: could not drop the cached copy", exc_info=True)


def next_visibility_change(*, at: datetime) -> datetime | None:
    """When an article next appears (scheduled go-live) or disappears (expiry) by
    itself, after ``at``; None when nothing is scheduled. Two queries.

    The page cache's expiry source (registered in ``ArticlesConfig.ready()``):
    no signal fires at those moments, so cached pages must not outlive them.
    """
    candidates = [
        Article.objects.scheduled(at=at).aggregate(t=Min("go_live_at"))["t"],
        Article.objects.published(at=at)
        .filter(expires_at__isnull=False)
        .aggregate(t=Min("expires_at"))["t"],
    ]
    times = [c for c in candidates if c is not None]
    return min(times) if times else None


# --- Article page ------------------------------------------------------------------


@dataclass
class ArticlePage:
    """Everything the article page shows, loaded with a fixed number of queries.

    ``related`` (the teasers) loads on first use: the page's cached fragment of them
    (``{% fragment "related" %}``) needs no query when it is fresh.
    """

    article: Article
    authors: list[Author]
    published_at: datetime | None
    updated: bool
    last_modified: datetime
    # Every published version of the story (the article itself included), original first;
    # empty when there is no translation. The page links them with hreflang.
    versions: list[Article] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    related_links: list[RelatedLink] = field(default_factory=list)

    @cached_property
    def related(self) -> list[Article]:
        """``related_teasers`` with their renditions: one query, on first use."""
        return related_teasers(article=self.article, tag_ids=[tag.pk for tag in self.tags])

    @cached_property
    def body(self) -> BodyParts:
        """The cleaned body (the editorial allow-list) split for the inline ad slot, with
        the agency credit: prepared once per cached page (``cached_article_page``)."""
        article = self.article
        credit = article.agency.credit if article.agency is not None else ""
        return split_body(clean_body_html(article.body), after_paragraph=0, credit=credit)

    @property
    def own_tags(self) -> list[str]:
        """Page-cache tags of what the article itself shows (comments, structured data
        with the story's translations)."""
        story = self.article.translation_of_id or self.article.pk
        return [f"article:{self.article.pk}", f"story:{story}"]

    @property
    def related_depends(self) -> list[str]:
        """Page-cache tags the related teasers depend on: the article (hand-picked ones),
        every teaser shown (its headline, image ...), the lists they are filled from (the
        section's, each tag's) and, when the newest of the site fill the row, that list."""
        tags = [
            *self.own_tags,
            *(f"article:{teaser.pk}" for teaser in self.related),
            f"section:{self.article.section_id}",
            *(f"tag:{tag.pk}" for tag in self.tags),
        ]
        filled_from_site = len(self.related) < RELATED_TEASER_COUNT or any(
            getattr(teaser, "fill_group", 3) == 3 for teaser in self.related
        )
        return [*tags, "list:latest"] if filled_from_site else tags


def _json_rows(queryset: QuerySet[Any], **fields: Any) -> ArraySubquery:
    """The rows of ``queryset`` as one array of JSON objects with ``fields``, for an
    annotation: a one-to-many relation loaded with its parent row, no query of its own."""
    return ArraySubquery(queryset.values(row=JSONObject(**fields)))


def _story_versions_rows(*, at: datetime | None = None) -> ArraySubquery:
    """Every published version of the outer article's story (original first), at ``at``
    (default now)."""
    original = Coalesce(OuterRef("translation_of"), OuterRef("pk"))
    return _json_rows(
        Article.objects.published(at=at)
        .filter(Q(pk=original) | Q(translation_of=original))
        .order_by(F("translation_of").asc(nulls_first=True), "language"),
        id="pk",
        slug="slug",
        language="language",
        headline="headline",
        updated_at="updated_at",
        translation_of_id="translation_of_id",
        section_id="section_id",
        section_slug="section__slug",
    )


def _json_array_sql(select: str, source: str, order: str) -> RawSQL:
    """A JSON array of ``select`` (a json_build_object) over ``source`` rows of the outer
    article, as written SQL: Django compiled the same correlated subqueries as
    expressions in about as long as PostgreSQL takes to run the whole page's query
    (profile in docs/performance.md). No visibility rules in here: rows of one article
    only; the story's versions go through ``published()``."""
    # Fixed strings written in this module, no input: nothing to inject.
    return RawSQL(  # noqa: S611
        f"SELECT COALESCE(json_agg({select} ORDER BY {order}), '[]'::json)::text"  # noqa: S608
        f" FROM {source}",
        (),
        output_field=JSONField(),
    )


# The renditions of the outer article's teaser image, ordered as ``attach_renditions``.
_RENDITIONS_ROWS = _json_array_sql(
    "json_build_object('id', r.id, 'spec', r.spec, 'format', r.format, 'file', r.file,"
    " 'width', r.width, 'height', r.height)",
    'articles_imagerendition r WHERE r.image_id = "articles_article"."teaser_image_id"',
    "r.format, r.width",
)

_DETAIL_ROWS = {
    "authors_rows": _json_array_sql(
        "json_build_object('id', au.id, 'name', au.name, 'slug', au.slug)",
        "articles_articleauthor aa JOIN articles_author au ON au.id = aa.author_id"
        ' WHERE aa.article_id = "articles_article"."id"',
        "aa.position, aa.id",
    ),
    "tags_rows": _json_array_sql(
        "json_build_object('id', tt.id, 'name', tt.name, 'slug', tt.slug)",
        "taggit_taggeditem ti JOIN taggit_tag tt ON tt.id = ti.tag_id"
        " JOIN django_content_type ct ON ct.id = ti.content_type_id"
        " AND ct.app_label = 'articles' AND ct.model = 'article'"
        ' WHERE ti.object_id = "articles_article"."id"',
        "tt.name, tt.id",
    ),
    "corrections_rows": _json_array_sql(
        "json_build_object('id', c.id, 'published_at', c.published_at, 'text', c.text)",
        'articles_correction c WHERE c.article_id = "articles_article"."id"',
        "c.published_at, c.id",
    ),
    "links_rows": _json_array_sql(
        "json_build_object('id', l.id, 'title', l.title, 'url', l.url)",
        'articles_relatedlink l WHERE l.article_id = "articles_article"."id"',
        "l.position, l.id",
    ),
    "renditions_rows": _RENDITIONS_ROWS,
}


def _article_detail_queryset(
    base: QuerySet[Article], *, at: datetime | None = None
) -> QuerySet[Article]:
    """The article with everything of its own the page shows, in ONE query: section,
    agency and teaser image joined; authors, tags, corrections, related links, the
    teaser image's renditions and the story's versions published at ``at`` (default
    now) as JSON arrays (``_detail_parts`` turns them into objects)."""
    return base.select_related("section", "agency", "teaser_image").annotate(
        **_DETAIL_ROWS, versions_rows=_story_versions_rows(at=at)
    )


def _published_article_at(*, section_slug: str, slug: str, at: datetime) -> QuerySet[Article]:
    return _article_detail_queryset(Article.objects.published(at=at), at=at).filter(
        section__slug=section_slug, slug=slug
    )[:1]


# The reader's article query is large; built and compiled once per process (core.compiled).
_PUBLISHED_ARTICLE = CompiledQuery(
    _published_article_at,
    section_slug="compiled-query:section",
    slug="compiled-query:slug",
    at=datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC),
)


@dataclass
class _DetailParts:
    authors: list[Author]
    tags: list[Tag]
    corrections: list[Correction]
    related_links: list[RelatedLink]
    versions: list[Article]


def _datetime(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:  # PostgreSQL's JSON always has ISO 8601 timestamps
        raise ValueError(f"not a timestamp: {value!r}")
    return parsed


def _renditions_from_rows(article: Article) -> None:
    """The teaser image's renditions from the article's ``renditions_rows`` (JSON array,
    ``_RENDITIONS_ROWS``), as after ``attach_renditions``: no query."""
    if article.teaser_image is not None:
        renditions = ImageRendition.objects.all()
        renditions._result_cache = [
            ImageRendition(image=article.teaser_image, **row)
            for row in article.renditions_rows  # type: ignore[attr-defined]
        ]
        renditions._prefetch_done = True  # type: ignore[attr-defined]
        article.teaser_image._prefetched_objects_cache = {"renditions": renditions}  # type: ignore[attr-defined]


def _detail_parts(article: Article) -> _DetailParts:
    """Authors, tags, corrections, links and versions of ``article``: from the JSON
    arrays of ``_article_detail_queryset`` (no query), or, for an article loaded
    elsewhere (the admin preview), with one query each."""
    rows = getattr(article, "authors_rows", None)
    if rows is None:
        authorships = article.authorships.select_related("author").order_by("position", "id")
        return _DetailParts(
            authors=[authorship.author for authorship in authorships],
            tags=list(article.tags.order_by("name", "pk")),
            corrections=list(article.corrections.order_by("published_at", "id")),
            related_links=list(article.related_links.order_by("position", "id")),
            versions=story_versions(article=article),
        )
    versions = []
    for row in article.versions_rows:  # type: ignore[attr-defined]
        version = Article(
            pk=row["id"],
            slug=row["slug"],
            language=row["language"],
            headline=row["headline"],
            updated_at=_datetime(row["updated_at"]),
            translation_of_id=row["translation_of_id"],
            section_id=row["section_id"],
        )
        version.section = Section(pk=row["section_id"], slug=row["section_slug"])
        versions.append(version)
    tags = [Tag(pk=r["id"], name=r["name"], slug=r["slug"]) for r in article.tags_rows]  # type: ignore[attr-defined]
    # ``article.tags.all()`` answers from these (ad targeting, feeds), as after a prefetch.
    tag_queryset = Tag.objects.all()
    tag_queryset._result_cache = tags
    tag_queryset._prefetch_done = True
    article._prefetched_objects_cache = {"tags": tag_queryset}  # type: ignore[attr-defined]
    _renditions_from_rows(article)
    return _DetailParts(
        authors=[Author(pk=r["id"], name=r["name"], slug=r["slug"]) for r in rows],
        tags=tags,
        corrections=[
            Correction(
                pk=r["id"],
                article_id=article.pk,
                published_at=_datetime(r["published_at"]),
                text=r["text"],
            )
            for r in article.corrections_rows  # type: ignore[attr-defined]
        ],
        related_links=[
            RelatedLink(pk=r["id"], article_id=article.pk, title=r["title"], url=r["url"])
            for r in article.links_rows  # type: ignore[attr-defined]
        ],
        versions=versions if len(versions) > 1 else [],
    )


def article_page_for(article: Article) -> ArticlePage:
    """The page fragments for an article already loaded (e.g. by the admin preview).

    Same result as ``article_page``; an article not loaded by ``article_page`` costs a
    few more queries (authors, tags, corrections, links, versions), fine for staff
    previews.
    """
    parts = _detail_parts(article)
    if not hasattr(article, "renditions_rows"):
        attach_renditions([article])
    last_modified = max(
        [
            article.updated_at,
            *(c.published_at for c in parts.corrections),
            *(v.updated_at for v in parts.versions),
        ]
    )
    return ArticlePage(
        article=article,
        authors=parts.authors,
        published_at=published_at(article),
        updated=was_updated(article),
        last_modified=last_modified,
        versions=parts.versions,
        tags=parts.tags,
        corrections=parts.corrections,
        related_links=parts.related_links,
    )


def story_versions(*, article: Article) -> list[Article]:
    """The published versions of ``article``'s story (original and translations, the
    article included), original first; ``[]`` when it has no other. One query."""
    original_id = article.translation_of_id or article.pk
    versions = list(
        Article.objects.published()
        .filter(Q(pk=original_id) | Q(translation_of_id=original_id))
        .select_related("section")
        .only("slug", "language", "headline", "updated_at", "translation_of", "section__slug")
        .order_by(F("translation_of").asc(nulls_first=True), "language")
    )
    return versions if len(versions) > 1 else []


def story_version_in(*, article: Article, language: str) -> Article | None:
    """The published version of ``article``'s story in ``language``, or None. One query."""
    original_id = article.translation_of_id or article.pk
    return (
        Article.objects.published()
        .filter(Q(pk=original_id) | Q(translation_of_id=original_id), language=language)
        .select_related("section")
        .only("slug", "language", "section__slug")
        .first()
    )


def article_page(*, section_slug: str, slug: str) -> ArticlePage | None:
    """The published article at /<section_slug>/<slug>/ with all its fragments.

    One query whatever the article's size: the article with section, agency, teaser
    image and its renditions, authors, tags, corrections, related links and the
    story's versions; the related teasers (``ArticlePage.related``) add two on use. Any language: the view redirects an
    article requested under another language's prefix.
    ``None`` when no published article has this URL (see ``article_redirect``).
    """
    found = _PUBLISHED_ARTICLE(section_slug=section_slug, slug=slug, at=timezone.now())
    return article_page_for(found[0]) if found else None


def cached_article_page(
    *, section_slug: str, slug: str
) -> tuple[ArticlePage | None, tuple[str, ...]]:
    """``article_page`` kept as a fragment (``core.fragments``), and its page-cache tags.

    Everything the page's rows show is purged under ``article:<id>`` (the article, its
    corrections, links, authors' and tags' lines, renditions), ``story:<id>`` (the
    translations) or ``site`` (sections, authors, agencies, images, tags), and the entry
    ends at the next scheduled go-live or expiry, like every fragment. The cleaned body is
    prepared before it is stored (``ArticlePage.body``). A page not found is never
    stored: no purge would announce the article published later. Queries: none while
    the fragment is fresh, else ``article_page``'s one. Never for staff previews.
    """

    def build() -> tuple[ArticlePage | None, list[str]]:
        page = article_page(section_slug=section_slug, slug=slug)
        if page is None:
            return None, []
        page.body  # noqa: B018 - cleaned and split once, stored with the page
        return page, page.own_tags

    return fragments.cached(
        "article_page", section_slug, slug, build=build, keep=lambda page: page is not None
    )


def article_preview_page(*, pk: int) -> ArticlePage | None:
    """Any article (draft, scheduled, expired ...) for a staff preview, same fragments."""
    article = _article_detail_queryset(Article.objects.all()).filter(pk=pk).first()
    return article_page_for(article) if article else None


def article_redirect(*, section_slug: str, slug: str) -> str | None:
    """The current URL of a published article that used to live at this address.

    Covers a changed section (the slug is unique, so it still identifies the
    article) and old (section, slug) pairs stored as ``ArticleURL``. At most
    two queries; ``None`` when nothing matches.
    """
    published = Article.objects.published().select_related("section").only("slug", "section__slug")
    moved = published.filter(slug=slug).first()
    if moved is None:
        moved = published.filter(old_urls__section_slug=section_slug, old_urls__slug=slug).first()
    if moved is None:
        return None
    return moved.get_absolute_url()


class _IsAnyOf(Func):
    """``field = ANY(%s)``, ``ids`` bound as ONE array parameter: the SQL is the same for
    any number of ids (an ``__in`` lookup has a placeholder per id), so a compiled query
    (``core.compiled``) takes new ones."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: list[int]) -> None:
        super().__init__(F(field), Value(list(ids), output_field=ArrayField(BigIntegerField())))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:  # type: ignore[override]
        field, ids = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        ids_sql, ids_params = compiler.compile(ids)
        return f"{field_sql} = ANY({ids_sql})", (*field_params, *ids_params)


def _related_candidates(
    *, article_id: int, section_id: int, tag_ids: list[int], language: str, at: datetime, depth: int
) -> Subquery:
    """Ids that can fill the related teasers, as one SQL subquery.

    Bounded, so the article page costs the same with 1,000 or 200,000 articles:
    the hand-picked ones, the newest ``depth`` sharing a tag, the newest
    ``depth`` of the section and the newest ``depth`` of the whole site (the
    fallback that keeps the row full), each from an index, concatenated as arrays.
    """
    ids = ArrayField(BigIntegerField())
    published = Article.objects.published(at=at)
    tagged = (
        TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
        )
        .filter(_IsAnyOf("tag_id", tag_ids))
        .values("object_id")
    )
    parts = [
        ArraySubquery(RelatedArticle.objects.filter(article_id=article_id).values("related_id")),
        ArraySubquery(
            published.filter(section_id=section_id)
            .order_by("-go_live_at", "-pk")
            .values("pk")[:depth]
        ),
        ArraySubquery(
            published.for_language(language, at=at)
            .order_by("-go_live_at", "-pk")
            .values("pk")[:depth]
        ),
        # No tags: an empty array, the same SQL.
        ArraySubquery(
            published.filter(pk__in=tagged).order_by("-go_live_at", "-pk").values("pk")[:depth]
        ),
    ]
    combined: ArraySubquery | Func = parts[0]
    for part in parts[1:]:
        combined = Func(combined, part, function="array_cat", output_field=ids)
    return Subquery(
        Article.objects.filter(pk=article_id)
        .annotate(candidate=Func(combined, function="unnest", output_field=BigIntegerField()))
        .values("candidate")
    )


def _related_queryset(
    *,
    article_id: int,
    section_id: int,
    tag_ids: list[int],
    excluded: list[int],
    language: str,
    at: datetime,
    limit: int = RELATED_TEASER_COUNT,
    depth: int = 10,
) -> QuerySet[Article]:
    """The related teasers' query (see ``related_teasers``): every value a bound
    parameter but ``limit`` and ``depth``, so it can be compiled once
    (``_RELATED_TEASERS``); each teaser with its image's renditions as a JSON array."""
    picked = RelatedArticle.objects.filter(article_id=article_id, related=OuterRef("pk"))
    candidates = _related_candidates(
        article_id=article_id,
        section_id=section_id,
        tag_ids=tag_ids,
        language=language,
        at=at,
        depth=depth,
    )
    return (
        teaser_queryset(language=language, at=at)
        .exclude(_IsAnyOf("pk", excluded))
        .filter(pk__in=candidates)
        .annotate(
            hand_position=Subquery(picked.values("position")[:1]),
            fill_group=Case(
                When(hand_position__isnull=False, then=Value(0)),
                When(_tagged_with(tag_ids), then=Value(1)),
                When(section_id=section_id, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            renditions_rows=_RENDITIONS_ROWS,
        )
        .order_by("fill_group", "hand_position", "-go_live_at", "-pk")[:limit]
    )


# The article page's related teasers (the default ``limit``, nothing else excluded):
# built and compiled once per process (core.compiled).
_RELATED_TEASERS = CompiledQuery(
    _related_queryset,
    article_id=2_000_000_001,
    section_id=2_000_000_002,
    tag_ids=[2_000_000_003, 2_000_000_004],
    excluded=[2_000_000_005],
    language="compiled-query:language",
    at=datetime(2001, 2, 3, 4, 5, 6, 789013, tzinfo=UTC),
)


def related_teasers(
    *,
    article: Article,
    limit: int = RELATED_TEASER_COUNT,
    exclude_ids: Iterable[int] = (),
    tag_ids: list[int] | None = None,
) -> list[Article]:
    """Up to ``limit`` published teasers for ``article``, with their teaser images'
    renditions, in one query.

    Order: hand-picked related articles (by their position), then articles
    sharing a tag, then articles of the same section, then the newest of the
    whole site, so the row is full whenever the site has ``limit`` other
    articles (issue #18, item 5); newest first within each group. Never the article itself, never an id in ``exclude_ids``, never
    twice. ``tag_ids``: the article's tags when the caller has them (else one query).
    The article page's call (default ``limit``, no ``exclude_ids``) runs a query
    compiled once per process.
    """
    exclude_ids = list(exclude_ids)
    if tag_ids is None:
        tag_ids = [tag.pk for tag in article.tags.all()]
    values: dict[str, Any] = {
        "article_id": article.pk,
        "section_id": article.section_id,
        "tag_ids": list(tag_ids),
        "excluded": [article.pk, *exclude_ids],
        "language": reader_language(),
        "at": timezone.now(),
    }
    if limit == RELATED_TEASER_COUNT and not exclude_ids:
        teasers = _RELATED_TEASERS(**values)
    else:
        depth = max(10, limit + len(exclude_ids) + 1)
        teasers = list(_related_queryset(**values, limit=limit, depth=depth))
    for teaser in teasers:
        _renditions_from_rows(teaser)
    return teasers


# --- Fronts -----------------------------------------------------------------------


@dataclass
class HomeFront:
    lead: Article | None
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)
    has_older: bool = False  # more articles than one list page: link to page 2


def _home_lead_queryset(*, language: str, at: datetime) -> QuerySet[Article]:
    """The newest teaser, its image's renditions as a JSON array."""
    return teaser_queryset(language=language, at=at).annotate(renditions_rows=_RENDITIONS_ROWS)[:1]


def _home_blocks_queryset(
    *, excluded: list[int], language: str, at: datetime, per_section: int
) -> QuerySet[Article]:
    """The newest ``per_section`` teasers of every section (not ``excluded``), in section
    order, each with its image's renditions as a JSON array: one window query."""
    # The newest few per section, each from the (section, status, go-live)
    # index: bounded work however large the archive is.
    newest_per_section = Section.objects.annotate(
        candidate=Func(
            ArraySubquery(
                Article.objects.published(at=at)
                .filter(section_id=OuterRef("pk"))
                .order_by("-go_live_at", "-pk")
                .values("pk")[: per_section + 1]
            ),
            function="unnest",
            output_field=BigIntegerField(),
        )
    ).values("candidate")
    return (
        teaser_queryset(language=language, at=at)
        .exclude(_IsAnyOf("pk", excluded))
        .filter(pk__in=Subquery(newest_per_section))
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("section_id")],
                order_by=[F("go_live_at").desc(), F("pk").desc()],
            ),
            renditions_rows=_RENDITIONS_ROWS,
        )
        .filter(row__lte=per_section)
        .order_by("section__order", "section__name", "row")
    )


def _home_older_queryset(*, language: str, at: datetime) -> QuerySet[Any]:
    """A row when there are more teasers than one list page (the link to page 2)."""
    return teaser_queryset(language=language, at=at).values("pk")[
        FRONT_PAGE_SIZE : FRONT_PAGE_SIZE + 1
    ]


# The home page's three queries, built and compiled once per process (core.compiled).
_HOME_SAMPLES: dict[str, Any] = {
    "language": "compiled-query:language",
    "at": datetime(2001, 2, 3, 4, 5, 6, 789014, tzinfo=UTC),
}
_HOME_LEAD = CompiledQuery(_home_lead_queryset, **_HOME_SAMPLES)
_HOME_BLOCKS = CompiledQuery(
    partial(_home_blocks_queryset, per_section=HOME_ARTICLES_PER_SECTION),
    excluded=[2_000_000_201],
    **_HOME_SAMPLES,
)
_HOME_OLDER = CompiledQuery(_home_older_queryset, **_HOME_SAMPLES)


def home_front(*, per_section: int = HOME_ARTICLES_PER_SECTION) -> HomeFront:
    """The lead story (newest article) and the latest articles per section.

    Three queries whatever the number of sections: lead, latest per section (one
    window query) and whether a page 2 exists; the renditions come with the teasers.
    No article appears twice. Compiled once per process (``core.compiled``) for the
    default ``per_section``.
    """
    values: dict[str, Any] = {"language": reader_language(), "at": timezone.now()}
    found = _HOME_LEAD(**values)
    lead = found[0] if found else None
    excluded = [lead.pk] if lead else []
    if per_section == HOME_ARTICLES_PER_SECTION:
        ranked = _HOME_BLOCKS(excluded=excluded, **values)
    else:
        ranked = list(_home_blocks_queryset(excluded=excluded, per_section=per_section, **values))
    blocks: dict[int, tuple[Section, list[Article]]] = {}
    for article in ranked:
        blocks.setdefault(article.section_id, (article.section, []))[1].append(article)
    front = HomeFront(
        lead=lead,
        sections=list(blocks.values()),
        has_older=bool(_HOME_OLDER(**values)),
    )
    for article in [*found, *ranked]:
        _renditions_from_rows(article)
    return front


def latest_articles() -> QuerySet[Article]:
    """All published articles, newest first (home pages 2+ and the archive)."""
    return teaser_queryset()


def section_articles(*, section: Section) -> QuerySet[Article]:
    """Published articles of a section, newest first."""
    return teaser_queryset().filter(section=section)


def _section_first_page_queryset(
    *, section_id: int, language: str, at: datetime
) -> QuerySet[Article]:
    """The first list page of a section, its teasers' renditions as JSON arrays."""
    return (
        teaser_queryset(language=language, at=at)
        .filter(section_id=section_id)
        .annotate(renditions_rows=_RENDITIONS_ROWS)[:FRONT_PAGE_SIZE]
    )


def _section_count_queryset(*, section_id: int, language: str, at: datetime) -> QuerySet[Any]:
    """ONE row: how many articles the section lists, counted up to ``MAX_LIST_PAGES``
    pages (as ``BoundedPaginator.count``; a constant as the only group, no GROUP BY)."""
    bounded = (
        teaser_queryset(language=language, at=at)
        .filter(section_id=section_id)
        .order_by()
        .values("pk")[: MAX_LIST_PAGES * FRONT_PAGE_SIZE]
    )
    return (
        Article.objects.filter(pk__in=Subquery(bounded))
        .annotate(whole=Value(1))
        .values("whole")
        .annotate(count=Count("pk"))
        .values("count")
        .order_by()
    )


def section_first_page(*, section: Section) -> Page:
    """Page 1 of ``section_articles`` as ``paginate`` gives it (same articles, count and
    renditions): two queries compiled once per process (``core.compiled``), where the
    paginator built and compiled a count, a page and a renditions query per request."""
    values = {"section_id": section.pk, "language": reader_language(), "at": timezone.now()}
    count = _SECTION_COUNT(**values)[0]["count"]
    rows = _SECTION_FIRST_PAGE(**values)
    for article in rows:
        _renditions_from_rows(article)
    paginator = BoundedPaginator(section_articles(section=section), FRONT_PAGE_SIZE)
    paginator.__dict__["count"] = count  # the cached_property, counted above
    return Page(rows, 1, paginator)


def tag_articles(*, tag: Tag) -> QuerySet[Article]:
    """Published articles carrying ``tag``, newest first."""
    return teaser_queryset().filter(_tagged_with([tag.pk]))


def tag_has_articles(*, tag: Tag) -> bool:
    """Whether any published article (in any language) carries ``tag``. One query."""
    return Article.objects.published().filter(_tagged_with([tag.pk])).exists()


def author_articles(*, author: Author) -> QuerySet[Article]:
    """Published articles by ``author``, newest first."""
    return teaser_queryset().filter(authorships__author=author)


def archive_articles(*, start: date, end: date) -> QuerySet[Article]:
    """Published articles that went live on days ``start`` <= day < ``end`` (local time)."""
    tz = timezone.get_current_timezone()
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end_at = datetime.combine(end, datetime.min.time(), tzinfo=tz)
    return teaser_queryset().filter(go_live_at__gte=start_at, go_live_at__lt=end_at)


def archive_periods(*, start: date, end: date, unit: str) -> list[tuple[date, int]]:
    """The years, months or days (``unit``) from ``start`` to before ``end`` that have
    published articles (in the reader's language), oldest first, with their number.

    One query, grouped by the local (Berlin) calendar; the archive's navigation.
    """
    tz = timezone.get_current_timezone()
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end_at = datetime.combine(end, datetime.min.time(), tzinfo=tz)
    rows = (
        Article.objects.published()
        .for_language(reader_language())
        .filter(go_live_at__gte=start_at, go_live_at__lt=end_at)
        .annotate(period=Trunc("go_live_at", unit, tzinfo=tz))
        .values("period")
        .annotate(count=Count("pk"))
        .order_by("period")
    )
    return [(timezone.localtime(row["period"], tz).date(), row["count"]) for row in rows]


def archive_neighbour_days(*, start: date, end: date) -> tuple[date | None, date | None]:
    """The nearest days before ``start`` and from ``end`` on with published articles.

    Two queries (one per direction). The day archive's links to earlier and later days
    go there instead of to the calendar neighbours, so following them never walks
    through empty days back to the year 1900 (a crawler trap of 45,000 pages).
    """
    tz = timezone.get_current_timezone()
    start_at = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    end_at = datetime.combine(end, datetime.min.time(), tzinfo=tz)
    published = Article.objects.published().values_list("go_live_at", flat=True)
    before = published.filter(go_live_at__lt=start_at).order_by("-go_live_at").first()
    after = published.filter(go_live_at__gte=end_at).order_by("go_live_at").first()
    return (
        timezone.localdate(before, tz) if before else None,
        timezone.localdate(after, tz) if after else None,
    )


# List pages reach back this many pages; older articles are found through the
# date archive and search. Keeps the count query bounded at any archive size.
MAX_LIST_PAGES = 100


class BoundedPaginator(Paginator):
    """A paginator whose count never scans more than ``MAX_LIST_PAGES`` pages of rows."""

    @cached_property
    def count(self) -> int:
        limit = MAX_LIST_PAGES * self.per_page
        queryset = cast(QuerySet[Article], self.object_list)  # paginate() passes a queryset
        return queryset.order_by()[:limit].count()


_SECTION_SAMPLES: dict[str, Any] = {"section_id": 2_000_000_301, **_HOME_SAMPLES}
_SECTION_FIRST_PAGE = CompiledQuery(_section_first_page_queryset, **_SECTION_SAMPLES)
_SECTION_COUNT = CompiledQuery(_section_count_queryset, **_SECTION_SAMPLES)


def paginate(
    queryset: QuerySet[Article], *, number: int | str, per_page: int = FRONT_PAGE_SIZE
) -> Page:
    """One page of teasers with their renditions: two queries (count, page) + one for images.

    The count is bounded (``BoundedPaginator``). Raises ``InvalidPage`` for a
    page that does not exist (views answer 404).
    """
    page = BoundedPaginator(queryset, per_page, allow_empty_first_page=True).page(number)
    page.object_list = list(page.object_list)
    attach_renditions(page.object_list)
    return page


# --- Search -----------------------------------------------------------------------


def normalise_search_query(raw: str | None) -> str:
    """The query as searched: printable characters only, single spaces, at most 200 characters."""
    if not raw:
        return ""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    printable = printable.replace(_MARK_START, " ").replace(_MARK_STOP, " ")
    return " ".join(printable.split())[:SEARCH_MAX_QUERY_LENGTH].strip()


def _strip_tags_sql(expression: F) -> Func:
    return Func(
        expression,
        Value("<[^>]*>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def highlight_html(text: str) -> SafeString:
    """Escape a ts_headline result and turn its markers into ``<mark>`` (safe HTML)."""
    plain = html.unescape(text or "")
    escaped = str(escape(plain))
    return mark_safe(  # noqa: S308 - everything but our own markers is escaped above
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_STOP, "</mark>")
    )


def _search_matches_at(*, tsquery: str, language: str, at: datetime) -> QuerySet[Any]:
    """The search rows matching ``tsquery`` that readers of ``language`` may see at
    ``at``, newest first: (article id, vector) rows."""
    return (
        ArticleSearch.objects.published(at=at)
        .for_language(language, at=at)
        .filter(vector=search.TsQuery(tsquery))
        .order_by("-go_live_at", "-article_id")
        .values_list("article_id", "vector")
    )


_SEARCH_MATCHES = CompiledQuery(
    _search_matches_at,
    tsquery="compiled-query:tsquery",
    language="compiled-query:language",
    at=datetime(2001, 2, 3, 4, 5, 6, 789013, tzinfo=UTC),
)


def _reader_matches(tsquery: str) -> tuple[str, str, tuple[Any, ...]]:
    """The database, SQL and parameters of the search rows matching ``tsquery`` that
    the reader sees now, newest first (``_search_matches_at``, compiled). No query."""
    return _SEARCH_MATCHES.sql(tsquery=tsquery, language=reader_language(), at=timezone.now())


def _search_candidates(plan: search.SearchPlan) -> list[int]:
    """The ids of the newest ``SEARCH_CANDIDATES`` matches of ``plan``, best first: ranked
    by the words as typed (any spelling), then newest, then the higher id. ONE query.

    The matches come from the narrow search rows (``ArticleSearch``: the GIN index, then
    rows of a few dozen bytes); only the newest ``SEARCH_CANDIDATES`` are ranked, so a
    word in 12,000 of 200,000 articles reads 1,000 vectors, not 12,000 (the rank is
    computed outside the subquery: PostgreSQL would otherwise rank every match before
    keeping the newest). Ranking by the widened query cost 5x more (make bench).
    """
    if plan.query_text is None or plan.exact_text is None:
        return []
    using, matches_sql, params = _reader_matches(plan.query_text)
    sql = (
        "SELECT m.id, ts_rank(m.vector, (%s)::tsquery) "  # noqa: S608 - the ORM's SQL
        f"FROM ({matches_sql} LIMIT %s) AS m(id, vector)"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, (plan.exact_text, *params, SEARCH_CANDIDATES))
        rows = cursor.fetchall()  # newest first, then the higher id
    rows.sort(key=lambda row: row[1], reverse=True)  # stable: equal ranks stay newest first
    return [row[0] for row in rows]


def _search_finds_any(plan: search.SearchPlan) -> bool:
    """Whether ``plan`` matches any article the reader sees (their language). ONE query."""
    if plan.query_text is None:
        return False
    using, matches_sql, params = _reader_matches(plan.query_text)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({matches_sql} LIMIT 1)", params)  # noqa: S608 - ORM SQL
        return bool(cursor.fetchone()[0])


def _search_suggestion(plan: search.SearchPlan) -> str | None:
    """The "Meinten Sie …?" for ``plan``, only if following it finds something for this reader:
    the lexicon holds the words of every language, so a word only German articles use
    would otherwise be offered to an English reader and find nothing. Costs one query
    more (the check) only when a word is unknown and has a similar one."""
    suggestion = search.suggest(plan)
    if suggestion is None or not _search_finds_any(search.plan(suggestion)):
        return None
    return suggestion


def _search_page_at(
    *, ids: list[int], tsquery: str, language: str, at: datetime
) -> QuerySet[Article]:
    headline_options: dict[str, Any] = {
        "start_sel": _MARK_START,
        "stop_sel": _MARK_STOP,
        "config": search.CONFIG,
    }
    query = search.TsQuery(tsquery)
    return (
        Article.objects.published(at=at)
        .for_language(language, at=at)
        .select_related("section")
        .defer("body")
        .filter(_IsAnyOf("pk", ids))
        .annotate(
            headline_marked=SearchHeadline(
                "headline", query, highlight_all=True, **headline_options
            ),
            snippet_marked=SearchHeadline(
                Concat("lead", Value(" "), _strip_tags_sql(F("body")), output_field=TextField()),
                query,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
                **headline_options,
            ),
        )
        .order_by()
    )


# One page of results with their highlights; built and compiled once per process.
_SEARCH_PAGE = CompiledQuery(
    _search_page_at,
    ids=[-20010203, -20010204],
    tsquery="compiled-query:tsquery",
    language="compiled-query:language",
    at=datetime(2001, 2, 3, 4, 5, 6, 789014, tzinfo=UTC),
)


def search_page(*, query: str, number: int | str | None) -> Page | None:
    """One page of search results with safe highlighted HTML, or ``None`` for an empty query.

    What a reader typed is widened by the lexicon (``articles.search``: spellings,
    compounds, verb forms) and matched against the search rows' vectors: headline weighs
    more than kicker and lead, which weigh more than the body. Two queries for a query
    asked before (candidates, the page's ten articles with their highlights; both
    compiled once per process), one while its ranked candidates are a cached fragment
    (until an article changes): its widened form and its "Meinten Sie …?" come from the
    cache (``search.plan``); the first time, two more (lexicon, tsquery text) and one for
    the suggestion when a word is unknown, and one to check the suggestion finds
    something. One query without matches (two with a suggestion). Page numbers out
    of range give the nearest page. The page carries ``suggestion`` (a better query or
    None) and ``capped``; each article ``headline_html`` and ``snippet_html``.
    """
    if not query:
        return None
    plan = search.plan(query)
    # The ranked ids are a fragment (core.fragments): kept until any article changes
    # ("articles") or the next scheduled go-live or expiry; a popular query asked again
    # costs the page query only. FRAGMENT_CACHE_ENABLED=0 searches every time.
    ranked, _tags = fragments.cached(
        "search-candidates",
        plan.query_text,
        plan.exact_text,
        reader_language(),
        build=lambda: (_search_candidates(plan), ["articles"]),
    )
    paginator = Paginator(ranked, SEARCH_PAGE_SIZE)
    page = paginator.get_page(number)
    # Attributes for the template.
    page.capped = page.paginator.count >= SEARCH_CANDIDATES  # type: ignore[attr-defined]
    page.suggestion = _search_suggestion(plan)  # type: ignore[attr-defined]
    page_ids = list(page.object_list)
    loaded: dict[int, Article] = {}
    if page_ids and plan.query_text is not None:
        rows = _SEARCH_PAGE(
            ids=page_ids,
            tsquery=plan.query_text,
            language=reader_language(),
            at=timezone.now(),
        )
        loaded = {article.pk: article for article in rows}
    on_page: list[Article] = [loaded[pk] for pk in page_ids if pk in loaded]
    page.object_list = on_page  # the page's ids, now articles
    for article in page.object_list:
        article.headline_html = highlight_html(article.headline_marked)  # type: ignore[attr-defined]
        article.snippet_html = highlight_html(article.snippet_marked)  # type: ignore[attr-defined]
    return page


# --- Syndication and sitemaps --------------------------------------------------


def feed_articles(
    *,
    section: Section | None = None,
    tag: Tag | None = None,
    limit: int = 30,
    full_text: bool = False,
) -> list[Article]:
    """The newest published articles for a feed, with authors, tags and the teaser image's
    renditions (four queries). ``full_text`` loads the body too."""
    # "tags": taggit's manager, unknown to django-stubs (see _article_detail_queryset).
    queryset = teaser_queryset().prefetch_related(  # type: ignore[misc]
        Prefetch("authorships", queryset=ArticleAuthor.objects.select_related("author")),
        "tags",
    )
    if full_text:
        queryset = queryset.defer(None)
    if section is not None:
        queryset = queryset.filter(section=section)
    if tag is not None:
        queryset = queryset.filter(_tagged_with([tag.pk]))
    articles = list(queryset[:limit])
    attach_renditions(articles)
    return articles


SITEMAP_ORDER = ("go_live_at", "pk")


def sitemap_articles() -> QuerySet[Article]:
    """Published, indexable articles whose canonical URL is their own, oldest first: a page
    of the paged article sitemap keeps its articles, new ones go to the last page."""
    return (
        Article.objects.published()
        .filter(noindex=False, canonical_url="")
        .select_related("section")
        .only("slug", "language", "translation_of", "updated_at", "go_live_at", "section__slug")
        .order_by(*SITEMAP_ORDER)
    )


def sitemap_article_page_lastmods(*, page_size: int) -> list[datetime]:
    """The newest ``updated_at`` on each page of the article sitemap (pages of ``page_size``
    articles in ``sitemap_articles`` order), first page first; one query over the archive."""
    numbered = (
        sitemap_articles()
        .order_by()
        .annotate(position=Window(RowNumber(), order_by=[F(name).asc() for name in SITEMAP_ORDER]))
        .values("position", "updated_at")
    )
    inner, params = numbered.query.sql_with_params()
    # GROUP BY over a window function needs the numbered rows as a subquery, which the ORM
    # does not aggregate; the inner SQL is the ORM's own, only page_size is added.
    sql = (
        f"SELECT (numbered.position - 1) / %s AS page, MAX(numbered.updated_at) "  # noqa: S608
        f"FROM ({inner}) AS numbered GROUP BY page ORDER BY page"
    )
    with connections[numbered.db].cursor() as cursor:
        cursor.execute(sql, [page_size, *params])
        return [lastmod for _page, lastmod in cursor.fetchall()]


def sitemap_versions(*, articles: Iterable[Article]) -> dict[int, list[Article]]:
    """For each of ``articles`` with a translation: every published version of its story,
    original first (the sitemap's hreflang alternates). One query, none without articles."""
    articles = list(articles)
    originals = {a.translation_of_id or a.pk for a in articles}
    if not originals:
        return {}
    groups: dict[int, list[Article]] = {}
    versions = (
        Article.objects.published()
        .filter(noindex=False, canonical_url="")
        .filter(Q(pk__in=originals) | Q(translation_of_id__in=originals))
        .select_related("section")
        .only("slug", "language", "translation_of", "section__slug")
        .order_by(F("translation_of").asc(nulls_first=True), "language")
    )
    for version in versions:
        groups.setdefault(version.translation_of_id or version.pk, []).append(version)
    return {
        a.pk: groups[a.translation_of_id or a.pk]
        for a in articles
        if len(groups.get(a.translation_of_id or a.pk, [])) > 1
    }


def news_sitemap_articles(*, now: datetime | None = None) -> list[Article]:
    """Indexable editorial articles that went live in the last two days (Google News
    sitemap), one query. Advertorials and political ads stay out: they are not news
    (Google News' content policies), though the paged article sitemaps list them."""
    now = now or timezone.now()
    return list(
        Article.objects.published(at=now)
        .filter(
            noindex=False,
            canonical_url="",
            kind=Article.Kind.EDITORIAL,
            go_live_at__gte=now - NEWS_SITEMAP_WINDOW,
        )
        .select_related("section")
        .defer("body")
        .order_by("-go_live_at", "-pk")[:1000]
    )


# --- The desk (admin) ------------------------------------------------------------

WORKFLOW_STEP_LABELS = {
    "article.create": _("Angelegt"),
    "article.submit": _("Zur Prüfung eingereicht"),
    "article.publish": _("Veröffentlicht"),
    "article.unpublish": _("Zurückgezogen"),
    "article.archive": _("Archiviert"),
    "article.send_back": _("Zurückgewiesen"),
    "article.restore_from_archive": _("Aus dem Archiv zurückgeholt"),
}


@dataclass(frozen=True)
class WorkflowStep:
    """One step of an article's workflow as the admin's timeline shows it."""

    at: datetime
    actor: str
    label: str
    from_state: str
    to_state: str
    note: str
    note_label: str  # "Grund" for a send back, else "Notiz"
    go_live_at: datetime | None  # a scheduled publication's go-live time


def _state_label(value: str) -> str:
    return str(Article.Status(value).label) if value in Article.Status.values else value


def article_workflow_steps(*, article: Article) -> list[WorkflowStep]:
    """The workflow steps of ``article`` (audit entries), oldest first: who, when, what, why.

    Content saves are not steps (the revision history lists them). One query.
    """
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
            action__in=WORKFLOW_STEP_LABELS,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    steps = []
    for entry in entries:
        go_live = None
        if entry.action == "article.publish" and (entry.data or {}).get("scheduled"):
            go_live = datetime.fromisoformat(entry.data["go_live_at"])
        actor = entry.actor
        label = WORKFLOW_STEP_LABELS[entry.action]
        steps.append(
            WorkflowStep(
                at=entry.created_at,
                actor=(actor.get_full_name() or actor.get_username()) if actor else "–",
                label=str(_("Geplant")) if go_live else str(label),
                from_state=_state_label(entry.from_state),
                to_state=_state_label(entry.to_state),
                note=entry.note,
                note_label=str(_("Grund") if entry.action == "article.send_back" else _("Notiz")),
                go_live_at=go_live,
            )
        )
    return steps
