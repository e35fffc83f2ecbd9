"""Reader pages: thin views over ``articles.selectors``.

Every public view is wrapped in ``cache_for_readers``: the HTML is the same for
every anonymous reader of a URL (no per-user content, no CSRF token), so it
carries public Cache-Control, ETag and Last-Modified, and opts in to the shared
page cache (``core.pagecache``). The staff preview lives in the article
admin and renders the same template (``selectors.article_page_for``).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import quote_plus

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import selectors, sitemaps
from articles.models import Author, OldTagSlug, Section
from core import ratelimit
from core.caching import cache_for_readers
from core.pagecache import collect_tags, mark_cacheable
from core.parsing import parse_int

PAGE_PARAMETER = "seite"


# --- Helpers --------------------------------------------------------------------


def _page_number(request: HttpRequest) -> int | None:
    """The requested page number: 1 without ``?seite=``, None for a malformed one."""
    raw = request.GET.get(PAGE_PARAMETER)
    return parse_int(raw, minimum=1) if raw else 1


def _page_or_404(queryset, request: HttpRequest):
    number = _page_number(request)
    try:
        if number is None:
            raise InvalidPage(f"malformed page number {request.GET.get(PAGE_PARAMETER)!r}")
        return selectors.paginate(queryset, number=number)
    except InvalidPage as error:
        raise Http404(_("Diese Seite gibt es nicht.")) from error


def _page_url(path: str, number: int, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    if number > 1:
        query = f"{query}&{PAGE_PARAMETER}={number}" if query else f"{PAGE_PARAMETER}={number}"
    return f"{path}?{query}" if query else path


PAGER_NEIGHBOURS = 2  # pages linked on each side of the current one


def _pager(path: str, page, **params: str) -> list[dict]:
    """Numbered page links: the first, the last and two on each side of the current
    page, ``None`` where pages are left out ("1 … 4 5 [6] 7 8 … 100"). Every list page
    is reachable by following links, not only by rel="prev/next"."""
    last = page.paginator.num_pages
    if last <= 1:
        return []
    shown = {1, last, *range(page.number - PAGER_NEIGHBOURS, page.number + PAGER_NEIGHBOURS + 1)}
    links: list[dict] = []
    previous = 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number - previous > 1:
            links.append({"gap": True})
        links.append(
            {
                "number": number,
                "url": _page_url(path, number, **params),
                "current": number == page.number,
            }
        )
        previous = number
    return links


def _pagination_context(request: HttpRequest, page, **params: str) -> dict:
    """prev/next URLs for links and ``<link rel="prev/next">``, numbered page links, and
    the page's own canonical path (``?seite=N`` from page 2 on: each page lists other
    articles)."""
    path = request.path
    return {
        "page_obj": page,
        "canonical_path": _page_url(path, page.number, **params),
        "prev_url": _page_url(path, page.previous_page_number(), **params)
        if page.has_previous()
        else None,
        "next_url": _page_url(path, page.next_page_number(), **params) if page.has_next() else None,
        "page_links": _pager(path, page, **params),
    }


def _with_last_modified(response: HttpResponse, *moments: datetime | None) -> HttpResponse:
    known = [m for m in moments if m]
    if known:
        response["Last-Modified"] = http_date(max(known).timestamp())
    return response


def _list_last_modified(articles) -> list:
    return [a.updated_at for a in articles]


def _mark_list(response: HttpResponse, list_tag: str, articles) -> HttpResponse:
    """Page-cache tags of a list page (issue #15, item 4): the list's own tag (purged when
    an article joins or leaves it) and each article shown (purged when it is edited), so a
    typo fix refreshes the lists showing the article, not the whole site."""
    return mark_cacheable(response, list_tag, *(f"article:{a.pk}" for a in articles if a))


def in_default_language(view):
    """Render machine endpoints (outside i18n_patterns) in German whatever the browser asks."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapped


# --- Article page ------------------------------------------------------------------


@cache_for_readers
def article_detail(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    page, tags = selectors.cached_article_page(section_slug=section, slug=slug)
    if page is None:
        target = selectors.article_redirect(section_slug=section, slug=slug)
        if target is None:
            raise Http404(_("Diesen Artikel gibt es nicht (mehr)."))
        return HttpResponsePermanentRedirect(target)
    language = selectors.reader_language()
    if page.article.language != language:
        # An article lives only under its own language's prefix. Another prefix (an /en/
        # bookmark from before articles had a language) leads to the story's version in
        # that language, else to the article itself: never a second copy of the page.
        version = next((v for v in page.versions if v.language == language), page.article)
        return HttpResponsePermanentRedirect(version.get_absolute_url())
    context = {"page": page, **page.__dict__, "language_links": _article_language_links(page)}
    response = render(request, "articles/article_detail.html", context)
    story = page.article.translation_of_id or page.article.pk
    # What the page shows of its own; the fragments add theirs (core.fragments).
    collect_tags(request, tags)  # the cached rows' tags (the same two, and "site")
    mark_cacheable(response, f"article:{page.article.pk}", f"story:{story}")
    return _with_last_modified(response, page.last_modified)


def _article_language_links(page: selectors.ArticlePage) -> dict[str, str]:
    """Where the language switch of an article page leads, per other language: the
    story's version in that language, else that language's front of the section."""
    links = {}
    for code, _name in settings.LANGUAGES:
        if code == page.article.language:
            continue
        version = next((v for v in page.versions if v.language == code), None)
        if version is not None:
            links[code] = version.get_absolute_url()
        else:
            with translation.override(code):
                links[code] = page.article.section.get_absolute_url()
    return links


# --- Fronts -----------------------------------------------------------------------


@cache_for_readers
def home(request: HttpRequest) -> HttpResponse:
    if _page_number(request) != 1:
        # Page 2 onwards: the chronological list of everything older.
        page = _page_or_404(selectors.latest_articles(), request)
        context = {
            **_pagination_context(request, page),
            "title": _("Alle Nachrichten"),
            "list_kind": "latest",
        }
        response = render(request, "articles/article_list.html", context)
        _mark_list(response, "list:latest", page.object_list)
        return _with_last_modified(response, *_list_last_modified(page.object_list))
    front = selectors.home_front()
    articles = [front.lead, *(a for _, block in front.sections for a in block)]
    context = {
        "front": front,
        "next_url": _page_url(request.path, 2) if front.has_older else None,
        "prev_url": None,
    }
    response = render(request, "articles/home.html", context)
    _mark_list(response, "list:latest", articles)
    return _with_last_modified(response, *_list_last_modified(a for a in articles if a))


@cache_for_readers
def section(request: HttpRequest, section: str) -> HttpResponse:
    section_obj = get_object_or_404(Section, slug=section)
    if _page_number(request) == 1:
        page = selectors.section_first_page(section=section_obj)
    else:
        page = _page_or_404(selectors.section_articles(section=section_obj), request)
    context = {
        **_pagination_context(request, page),
        "section": section_obj,
        "current_section": section_obj.slug,  # marked in the header's section navigation
    }
    response = render(request, "articles/section.html", context)
    _mark_list(response, f"section:{section_obj.pk}", page.object_list)
    return _with_last_modified(response, *_list_last_modified(page.object_list))


def _moved_tag_url(slug: str, view_name: str = "articles:tag") -> str | None:
    """The current URL of the tag that ``slug`` names, else None: a slug the tag had
    before (``OldTagSlug``), or the tag's name as written ("Fußball" for ``fussball``)."""
    moved = OldTagSlug.objects.filter(old_slug=slug).select_related("tag").first()
    tag = moved.tag if moved else Tag.objects.filter(name__iexact=slug).first()
    if tag is None or tag.slug == slug:
        return None
    return reverse(view_name, kwargs={"slug": tag.slug})


def tag_moved_or(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``view`` for a current tag slug; 301 for an old one; 404 for any other."""

    def wrapped(request: HttpRequest, slug: str) -> HttpResponse:
        try:
            return view(request, slug=slug)  # a cache hit needs no query
        except Http404:
            match = request.resolver_match
            target = _moved_tag_url(slug, match.view_name) if match else None
            if target is None:
                raise
            return HttpResponsePermanentRedirect(target)

    return wrapped


@cache_for_readers
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag_obj = Tag.objects.filter(slug=slug).first()
    if tag_obj is None:
        target = _moved_tag_url(slug)
        if target is None:
            raise Http404(_("Dieses Thema gibt es nicht."))
        return HttpResponsePermanentRedirect(target)
    page = _page_or_404(selectors.tag_articles(tag=tag_obj), request)
    if not page.object_list and not selectors.tag_has_articles(tag=tag_obj):
        # Empty in this language only (its stories are listed in their translations,
        # which may carry other tags): the page exists, the language switch leads here.
        raise Http404(_("Zu diesem Thema gibt es keine Artikel."))
    context = {
        **_pagination_context(request, page),
        "tag": tag_obj,
        "title": _("Thema: %(tag)s") % {"tag": tag_obj.name},
        "list_kind": "tag",
    }
    response = render(request, "articles/article_list.html", context)
    _mark_list(response, f"tag:{tag_obj.pk}", page.object_list)
    return _with_last_modified(response, *_list_last_modified(page.object_list))


@cache_for_readers
def author(request: HttpRequest, slug: str) -> HttpResponse:
    author_obj = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page = _page_or_404(selectors.author_articles(author=author_obj), request)
    context = {**_pagination_context(request, page), "author": author_obj}
    response = render(request, "articles/author.html", context)
    return _with_last_modified(response, *_list_last_modified(page.object_list))


FIRST_ARCHIVE_YEAR = 1900
LAST_ARCHIVE_YEAR = 9998  # the year after must still be a date


def _archive_range(year, month, day) -> tuple[date, date, str]:
    """(first day, day after the last, German title) of an archive URL; 404 for invalid dates."""
    try:
        if year is None:
            return date(FIRST_ARCHIVE_YEAR, 1, 1), date(9999, 12, 31), _("Archiv")
        y = int(year)
        if not FIRST_ARCHIVE_YEAR <= y <= LAST_ARCHIVE_YEAR:
            # Far dates overflow when converted between time zones.
            raise ValueError(f"year {y} outside the archive")
        if month is None:
            return date(y, 1, 1), date(y + 1, 1, 1), _("Archiv %(year)s") % {"year": y}
        m = int(month)
        if day is None:
            start = date(y, m, 1)
            end = start + timedelta(days=calendar.monthrange(y, m)[1])
            return start, end, _("Archiv %(month)s") % {"month": date_format(start, "F Y")}
        start = date(y, m, int(day))
    except (ValueError, OverflowError) as error:
        raise Http404(_("Dieses Datum gibt es nicht.")) from error
    return (
        start,
        start + timedelta(days=1),
        _("Archiv vom %(day)s") % {"day": date_format(start, "DATE_FORMAT")},
    )


def _archive_navigation(year, month, day, start: date, end: date) -> dict:
    """The archive's way around: a trail (Archiv › 2025 › März 2025) and the years,
    months or days below this page that have articles (one query; none on a day)."""
    trail = [(_("Archiv"), reverse("articles:archive"))]
    if year is not None:
        trail.append((str(start.year), reverse("articles:archive_year", args=[f"{start:%Y}"])))
    if month is not None:
        trail.append(
            (
                date_format(start, "F Y"),
                reverse("articles:archive_month", args=[f"{start:%Y}", f"{start:%m}"]),
            )
        )
    if year is None:
        trail = []  # the index itself: nothing above it
    if day is not None:
        return {"archive_trail": trail, "archive_periods": [], "archive_unit": "day"}
    unit = "year" if year is None else "month" if month is None else "day"
    periods = []
    for moment, count in selectors.archive_periods(start=start, end=end, unit=unit):
        if unit == "year":
            label, url = str(moment.year), reverse("articles:archive_year", args=[f"{moment:%Y}"])
        elif unit == "month":
            label = date_format(moment, "F")
            url = reverse("articles:archive_month", args=[f"{moment:%Y}", f"{moment:%m}"])
        else:
            label = date_format(moment, "MONTH_DAY_FORMAT")
            url = reverse(
                "articles:archive_day", args=[f"{moment:%Y}", f"{moment:%m}", f"{moment:%d}"]
            )
        periods.append({"label": label, "url": url, "count": count})
    return {"archive_trail": trail, "archive_periods": periods, "archive_unit": unit}


@cache_for_readers
def archive(request: HttpRequest, year=None, month=None, day=None) -> HttpResponse:
    start, end, title = _archive_range(year, month, day)
    page = _page_or_404(selectors.archive_articles(start=start, end=end), request)
    context = {
        **_pagination_context(request, page),
        **_archive_navigation(year, month, day, start, end),
        "title": title,
        "list_kind": "archive",
        "archive_day": start if day else None,
    }
    if day:
        context["previous_day"], context["following_day"] = selectors.archive_neighbour_days(
            start=start, end=end
        )
    response = render(request, "articles/article_list.html", context)
    return _with_last_modified(response, *_list_last_modified(page.object_list))


# --- Search -----------------------------------------------------------------------


@cache_for_readers
def search(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    query = selectors.normalise_search_query(raw)
    if query:
        # Full-text queries cost the database; scrapers get a German 429 (shared limiter).
        ratelimit.enforce(
            "search",
            ratelimit.client_ip(request),
            limit=settings.SEARCH_RATE_LIMIT,
            window=settings.SEARCH_RATE_LIMIT_WINDOW,
        )
    page = selectors.search_page(query=query, number=_page_number(request))
    context = {
        "query": query,
        "truncated": len(" ".join(raw.split())) > selectors.SEARCH_MAX_QUERY_LENGTH,
        "page_obj": page,
    }
    if page is not None:
        context.update(_pagination_context(request, page, q=quote_plus(query)))
    return render(request, "articles/search.html", context)


# --- Machine endpoints --------------------------------------------------------


@cache_for_readers
@in_default_language
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every page of every sitemap with the newest change on it."""
    response = render(
        request,
        "sitemaps/sitemap_index.xml",
        {"entries": sitemaps.index_entries()},
        content_type="application/xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views
    return response


@cache_for_readers
@in_default_language
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: indexable articles of the last two days."""
    articles = selectors.news_sitemap_articles()
    versions = selectors.sitemap_versions(articles=articles)
    for article in articles:
        article.versions = versions.get(article.pk, [])  # type: ignore[attr-defined]
    response = render(
        request,
        "articles/news_sitemap.xml",
        {"articles": articles},
        content_type="application/xml; charset=utf-8",
    )
    return _with_last_modified(response, *_list_last_modified(articles))


@cache_for_readers
@in_default_language
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",  # the staff preview too (/admin/articles/article/<id>/vorschau/)
        "Disallow: /suche/",
        "Disallow: /en/suche/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
        f"Sitemap: {settings.SITE_URL}{reverse('news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


FAVICON_MAX_AGE = 60 * 60 * 24  # a day: browsers ask for /favicon.ico on every site visit


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    """static/favicon.ico, read once (it ships with the code, no collectstatic needed)."""
    found = finders.find("favicon.ico")
    if not isinstance(found, str):
        raise FileNotFoundError("static/favicon.ico is missing from the code")
    return Path(found).read_bytes()


@cache_for_readers(max_age=FAVICON_MAX_AGE)
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: browsers and feed readers fetch it there whatever the page links."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
