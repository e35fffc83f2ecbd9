"""RSS and Atom feeds (Django's syndication framework): whole site, each section, each tag.

Links are absolute with ``NEWSROOM_SITE_URL``, so feeds read the same behind
any proxy. Only published articles appear (``selectors.feed_articles``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import selectors
from articles.models import Article, Section
from core.caching import cache_for_readers

FEED_MAX_AGE = 300


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


class ArticleFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = settings.LANGUAGE_CODE

    @classmethod
    def as_cached_view(cls):
        return cache_for_readers(cls(), max_age=FEED_MAX_AGE)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The feed's own address, absolute with SITE_URL like every other link.
        feed.feed["feed_url"] = absolute(request.path)
        return feed

    def item_title(self, item: Article) -> str:
        return f"{item.kicker}: {item.headline}" if item.kicker else item.headline

    def item_description(self, item: Article) -> str:
        # RSS descriptions and Atom summaries (type="html") are rendered as HTML by
        # feed readers; the lead is plain text, so escape it once for that HTML.
        return escape(item.lead)

    def item_link(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item: Article):
        return selectors.published_at(item)

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str | None:
        names = [authorship.author.name for authorship in item.authorships.all()]
        return ", ".join(names) or None

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name, *(tag.name for tag in item.tags.all())]


class LatestArticlesFeed(ArticleFeed):
    """The newest articles of the whole site."""

    def title(self) -> str:
        return _("%(site)s – Nachrichten") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return absolute(reverse("articles:home"))

    def description(self) -> str:
        return _("Die neuesten Artikel von %(site)s") % {"site": settings.SITE_NAME}

    def items(self) -> list[Article]:
        return selectors.feed_articles()


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()


class SectionFeed(ArticleFeed):
    def get_object(self, request, section: str) -> Section:
        return get_object_or_404(Section, slug=section)

    def title(self, obj: Section) -> str:
        return _("%(site)s – %(section)s") % {"site": settings.SITE_NAME, "section": obj.name}

    def link(self, obj: Section) -> str:
        return absolute(obj.get_absolute_url())

    def description(self, obj: Section) -> str:
        return _("Die neuesten Artikel im Ressort %(section)s") % {"section": obj.name}

    def items(self, obj: Section) -> list[Article]:
        return selectors.feed_articles(section=obj)


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Section) -> str:
        return self.description(obj)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return _("%(site)s – Thema: %(tag)s") % {"site": settings.SITE_NAME, "tag": obj.name}

    def link(self, obj: Tag) -> str:
        return absolute(reverse("articles:tag", kwargs={"slug": obj.slug}))

    def description(self, obj: Tag) -> str:
        return _("Die neuesten Artikel zum Thema %(tag)s") % {"tag": obj.name}

    def items(self, obj: Tag) -> list[Article]:
        return selectors.feed_articles(tag=obj)


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Tag) -> str:
        return self.description(obj)
