"""RSS and Atom feeds (Django's syndication framework): whole site, each section, each tag,
and the whole site in full text.

Links are absolute with ``NEWSROOM_SITE_URL``, so feeds read the same behind
any proxy. Only published articles appear (``selectors.feed_articles``), each story
once in the feed's language. Every item carries its teaser image as enclosure and
``media:content``; Atom feeds name the publication as author (entries without a byline
stay valid).
"""

from __future__ import annotations

import mimetypes
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag

from articles import selectors
from articles.models import Article, Section
from core.caching import cache_for_readers
from core.sanitize import clean_body_html

FEED_MAX_AGE = 300


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


MEDIA_NAMESPACE = "http://search.yahoo.com/mrss/"
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"


def _media_elements(handler, item: dict) -> None:
    """``media:content`` (Media RSS) with the picture's size, alt text and credit."""
    image = item.get("media")
    if not image:
        return
    attributes = {"url": image["url"], "medium": "image", "type": image["type"]}
    attributes.update(width=str(image["width"]), height=str(image["height"]))
    handler.startElement("media:content", attributes)
    handler.addQuickElement("media:description", image["alt"], {"type": "plain"})
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the teaser image as ``enclosure`` and ``media:content``, and the full
    text as ``content:encoded`` when the feed carries it."""

    def rss_attributes(self) -> dict:
        return {
            **super().rss_attributes(),
            "xmlns:media": MEDIA_NAMESPACE,
            "xmlns:content": CONTENT_NAMESPACE,
        }

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        _media_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class MediaAtomFeed(Atom1Feed):
    """Atom with the same picture (``link rel="enclosure"`` and ``media:content``) and the
    full text as ``content``. The feed names the publication as its author, so entries
    without a byline stay valid Atom (RFC 4287, 4.1.1)."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        _media_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


def absolute_html(html: str) -> str:
    """Root-relative links and images in sanitised HTML made absolute (feed readers show
    the text away from the site)."""
    return _RELATIVE_URL.sub(lambda m: f"{m.group(1)}{settings.SITE_URL}/", html)


class ArticleFeed(Feed):
    feed_type: type[SyndicationFeed] = MediaRssFeed
    # No fixed language: the feed's is its URL's (/feed/ German, /en/feed/ English).
    full_text = False

    def author_name(self) -> str:
        # Atom: the feed's author covers entries without a byline (RSS ignores it).
        return settings.SITE_NAME

    def author_link(self) -> str:
        return f"{settings.SITE_URL}/"

    @classmethod
    def as_cached_view(cls):
        return cache_for_readers(cls(), max_age=FEED_MAX_AGE)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The feed's own address, absolute with SITE_URL like every other link.
        feed.feed["feed_url"] = absolute(request.path)
        return feed

    def item_title(self, item: Article) -> str:
        title = f"{item.kicker}: {item.headline}" if item.kicker else item.headline
        if item.is_political_ad:
            return _("Politische Anzeige: %(title)s") % {"title": title}
        if item.is_sponsored:
            return _("Anzeige: %(title)s") % {"title": title}
        return title

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
        label = [_("Anzeige")] if item.is_sponsored else []
        return [*label, item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item: Article) -> list[Enclosure]:
        image = self._picture(item)
        if image is None or image["length"] is None:
            return []
        return [Enclosure(image["url"], str(image["length"]), image["type"])]

    def item_extra_kwargs(self, item: Article) -> dict:
        extra: dict = {"media": self._picture(item)}
        if self.full_text:
            body = clean_body_html(item.body)
            extra["content_html"] = absolute_html(body)
        return extra

    def _picture(self, item: Article) -> dict | None:
        """The teaser image as the feed shows it: the largest 16:9 JPEG (prefetched)."""
        if not item.teaser_image_id:
            return None
        cache = getattr(item, "_feed_picture", None)
        if cache is not None:
            return cache or None
        image = item.teaser_image
        if image is None:
            return None
        renditions = [
            r
            for r in getattr(image, "_prefetched_objects_cache", {}).get("renditions", [])
            if r.format == "jpeg" and r.spec.startswith("16x9-w")
        ]
        chosen = max(renditions, key=lambda r: r.width) if renditions else None
        file = chosen.file if chosen else image.file
        try:
            length: int | None = file.size
        except OSError:  # a missing file: no enclosure, the rest of the item stays
            length = None
        picture = {
            "url": absolute(file.url),
            "type": "image/jpeg"
            if chosen
            else (mimetypes.guess_type(file.name or "")[0] or "image/jpeg"),
            "width": chosen.width if chosen else image.width,
            "height": chosen.height if chosen else image.height,
            "length": length,
            "alt": image.alt_text,
            "credit": image.credit,
        }
        item._feed_picture = picture  # type: ignore[attr-defined]
        return picture


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
    feed_type = MediaAtomFeed

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
    feed_type = MediaAtomFeed

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
    feed_type = MediaAtomFeed

    def subtitle(self, obj: Tag) -> str:
        return self.description(obj)


class FullTextFeed(LatestArticlesFeed):
    """The newest articles with their whole text (``content:encoded``): for readers who
    read in their feed reader. Switched off with ``NEWSROOM_FULL_TEXT_FEEDS=0`` (404)."""

    full_text = True

    @classmethod
    def as_cached_view(cls):
        view = super().as_cached_view()

        def full_text_view(request, *args, **kwargs):
            if not settings.FULL_TEXT_FEEDS:
                raise Http404(_("Diesen Feed gibt es hier nicht."))
            return view(request, *args, **kwargs)

        return full_text_view

    def title(self) -> str:
        return _("%(site)s – Nachrichten im Volltext") % {"site": settings.SITE_NAME}

    def items(self) -> list[Article]:
        return selectors.feed_articles(full_text=True)


class FullTextAtomFeed(FullTextFeed):
    feed_type = MediaAtomFeed

    def subtitle(self) -> str:
        return self.description()
