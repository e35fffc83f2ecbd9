"""sitemap.xml (Django's sitemaps framework): home, sections, articles, static pages.

URLs are absolute with ``NEWSROOM_SITE_URL`` (not the request's host). Only
published, indexable articles whose canonical URL is their own are listed.
"""

from __future__ import annotations

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
    limit = 5000

    def items(self):
        return selectors.sitemap_articles()

    def lastmod(self, item: Article):
        return item.updated_at

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

    def lastmod(self, item: Page):
        return item.updated_at


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "pages": PageSitemap,
}
