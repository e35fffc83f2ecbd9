"""Sitemaps (Django's sitemaps framework): home, sections, articles, static pages.

``/sitemap.xml`` is a sitemap index naming one sitemap per section, the articles in pages
of ``SITEMAP_PAGE_SIZE`` (``/sitemap-articles.xml?p=2``) so the whole archive is listed;
each entry of the index carries the newest ``lastmod`` of its page. URLs are absolute with
``NEWSROOM_SITE_URL`` (not the request's host). Only published, indexable articles whose
canonical URL is their own are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles import selectors
from articles.models import Article, Section
from pages.models import Page


class SiteURLSitemap(Sitemap):
    """Takes domain and protocol from ``NEWSROOM_SITE_URL``."""

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def page_lastmods(self) -> list[datetime | None]:
        """The newest ``lastmod`` of each page (for the index); None where none is given."""
        return [None] * self.paginator.num_pages


class HomeSitemap(SiteURLSitemap):
    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["articles:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class SectionSitemap(SiteURLSitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


class ArticleSitemap(SiteURLSitemap):
    """Every article at its own URL; a story with translations lists all its versions as
    ``xhtml:link`` alternates (hreflang) on each of them, the original as ``x-default``.

    Django's own alternates (``i18n = True``) would repeat every article under every
    language prefix: exactly the duplicates the one-language-per-article model avoids.
    """

    changefreq = "daily"
    priority = 0.6

    def __init__(self) -> None:
        self.limit = settings.SITEMAP_PAGE_SIZE

    def items(self):
        return selectors.sitemap_articles()

    def lastmod(self, item: Article) -> datetime:
        # Whole seconds: W3C datetime with time and offset, without the microseconds.
        return item.updated_at.replace(microsecond=0)

    def page_lastmods(self) -> list[datetime | None]:
        lastmods = selectors.sitemap_article_page_lastmods(page_size=self.limit)
        return [lastmod.replace(microsecond=0) for lastmod in lastmods] or [None]

    def _urls(self, page, protocol, domain):
        # Django's private builder of the <url> entries; only "alternates" is changed.
        urls = super()._urls(page, protocol, domain)  # type: ignore[misc]
        versions = selectors.sitemap_versions(articles=[url["item"] for url in urls])
        for url in urls:
            story = versions.get(url["item"].pk, [])
            url["alternates"] = [
                {
                    "lang_code": v.language,
                    "location": f"{protocol}://{domain}{v.get_absolute_url()}",
                }
                for v in story
            ]
            if story:
                original = story[0]
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": f"{protocol}://{domain}{original.get_absolute_url()}",
                    }
                )
        return urls


class PageSitemap(SiteURLSitemap):
    changefreq = "monthly"
    priority = 0.2

    def items(self):
        return Page.objects.filter(noindex=False)

    def lastmod(self, item: Page) -> datetime:
        return item.updated_at.replace(microsecond=0)

    def page_lastmods(self) -> list[datetime | None]:
        # A handful of static pages: one page, its newest change.
        return [max((self.lastmod(page) for page in self.items()), default=None)]


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
}


@dataclass(frozen=True)
class IndexEntry:
    location: str
    lastmod: datetime | None


def index_entries() -> list[IndexEntry]:
    """Every page of every sitemap for ``/sitemap.xml``, each with its own ``lastmod``
    (Django's index gives every page of a section the section's newest date and loads
    all articles to find it)."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = (
            f"{sitemap.get_protocol()}://{sitemap.get_domain()}"
            f"{reverse('sitemap_section', kwargs={'section': section})}"
        )
        for number, lastmod in enumerate(sitemap.page_lastmods(), start=1):
            page_location = location if number == 1 else f"{location}?p={number}"
            entries.append(IndexEntry(location=page_location, lastmod=lastmod))
    return entries
