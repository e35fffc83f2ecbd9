"""Template tags for the reader pages (``{% load reader %}``).

Body HTML: ``article_body`` cleans the stored body AGAIN at render time with
``core.sanitize.clean_body_html`` (idempotent, fast). The services store
cleaned bodies, but bodies written by other paths (shell, imports, old data)
must not reach readers uncleaned, so only the fresh output of the sanitiser is
ever marked safe here.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime
from PIL import Image as PILImage

from articles import selectors
from articles.body import BodyParts, split_body
from core import jinja
from core.sanitize import clean_body_html

register = template.Library()

RENDITION_WIDTHS = (320, 640, 960, 1280)

# Characters that must not appear raw inside <script>: as in json_script.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# --- Navigation ------------------------------------------------------------------


@register.simple_tag
def site_navigation() -> dict:
    """``{% site_navigation as nav %}``: sections (header) and static pages (footer)."""
    return selectors.site_navigation()


@register.filter
def absolute(path: str) -> str:
    """``/pfad/`` → ``https://example.org/pfad/`` using NEWSROOM_SITE_URL."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


@register.filter
def original_language_url(path: str) -> str:
    """The page's address in the site's language (German): the canonical URL of an
    interface page (list, search, static page) seen in another interface language.
    Paths that name no page come back unchanged."""
    return translate_url(path, settings.LANGUAGE_CODE)


OG_LOCALES = {"de": "de_DE", "en": "en_GB"}


@register.filter
def og_locale(language: str) -> str:
    """``de`` → ``de_DE`` (OpenGraph's territory-qualified locale)."""
    return OG_LOCALES.get(language, language)


def _language_switch(context: template.Context) -> list[dict[str, str]]:
    """The language switch's links: this page in the other interface languages.

    Article pages pass ``language_links`` (the translation, or the section front); every
    other page is the same address under the other prefix.
    """
    request = context.get("request")
    current = translation.get_language() or settings.LANGUAGE_CODE
    given = context.get("language_links") or {}
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        href = given.get(code)
        if href is None and request is not None:
            href = translate_url(request.get_full_path(), code)
        if href:
            info = translation.get_language_info(code)
            links.append({"code": code, "href": href, "name": info["name_local"]})
    return links


_CHROME = {"head_links", "head_assets", "site_header", "site_footer"}
# Rendered frame pieces by everything they show (LRU): the same header, footer and head
# links recur on every page, and a piece is a pure function of its values, the language
# and the URL prefix. Not under DEBUG, where templates are read again when edited.
_CHROME_MEMO: OrderedDict[tuple, SafeString] = OrderedDict()
_CHROME_MEMO_SIZE = 512
_chrome_lock = threading.Lock()


@receiver(setting_changed)
def _forget_chrome(**kwargs: Any) -> None:
    """Changed settings (tests: URLs, static storage, site name): render again."""
    with _chrome_lock:
        _CHROME_MEMO.clear()


@register.simple_tag(takes_context=True)
def page_chrome(context: template.Context, part: str) -> SafeString:
    """``{% page_chrome "site_header" %}``: a piece of every page's frame around
    ``base.html``'s blocks, a Jinja2 partial (``templates/includes/<part>.jinja``):
    ``head_links`` (previous/next page, feeds), ``head_assets`` (icon, CSS, script),
    ``site_header`` (logo, search, language switch, section navigation: the page's
    ``current_section`` marked), ``site_footer`` (service links). Django's engine spent
    about a millisecond on this frame per page; a piece already rendered with the same
    values is taken from process memory. No queries (``nav`` is the cached navigation
    ``base.html`` loads)."""
    if part not in _CHROME:
        raise template.TemplateSyntaxError(f"page_chrome: unknown part {part!r}")
    # The site's constants from the settings, not the context: error pages render
    # without the context processors (``core.views.error_page``).
    values: dict[str, Any] = {"site_name": settings.SITE_NAME}
    nav = context.get("nav") or {}
    # What the piece shows, hashable: (label, slug) pairs, links as (code, href, name).
    shown: tuple = ()
    if part == "head_links":
        values.update(prev_url=context.get("prev_url"), next_url=context.get("next_url"))
        shown = (values["prev_url"], values["next_url"])
    elif part == "site_header":
        sections = tuple(map(tuple, nav.get("sections") or ()))
        links = _language_switch(context)
        values.update(
            nav={"sections": sections},
            current_section=context.get("current_section"),
            language_links=links,
        )
        shown = (
            sections,
            values["current_section"],
            tuple((link["code"], link["href"], link["name"]) for link in links),
        )
    elif part == "site_footer":
        pages = tuple(map(tuple, nav.get("pages") or ()))
        values.update(
            nav={"pages": pages},
            site_language=settings.LANGUAGE_CODE,
            full_text_feeds=getattr(settings, "FULL_TEXT_FEEDS", False),
        )
        shown = (pages, values["site_language"], bool(values["full_text_feeds"]))
    if settings.DEBUG:
        return jinja.render(f"includes/{part}.jinja", values)
    key = (
        part,
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
        values["site_name"],
        shown,
    )
    found = _CHROME_MEMO.get(key)
    if found is None:
        found = jinja.render(f"includes/{part}.jinja", values)
        with _chrome_lock:
            _CHROME_MEMO[key] = found
            if len(_CHROME_MEMO) > _CHROME_MEMO_SIZE:
                _CHROME_MEMO.popitem(last=False)
    return found


@register.filter
def lang_mark(obj: object) -> SafeString:
    """`` lang="de"`` when ``obj`` is written in another language than the page: an
    article in its ``language``, anything without one (static pages, images, sections)
    in the site language. Empty when the languages match. ``<p{{ article|lang_mark }}>``."""
    language = str(getattr(obj, "language", "") or settings.LANGUAGE_CODE)
    page_language = translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-")[0] == page_language.split("-")[0]:
        return mark_safe("")  # noqa: S308 - a constant
    return format_html(' lang="{}"', language)


@register.filter
def in_language_of(text: str, obj: object) -> SafeString:
    """``text`` (escaped) in a ``<span lang>`` when ``obj`` is written in another language
    than the page (see ``lang_mark``), for a title quoted inside a translated sentence."""
    mark = lang_mark(obj)
    return format_html("<span{}>{}</span>", mark, text) if mark else format_html("{}", text)


@register.filter
def is_web_url(url: str) -> bool:
    """True for http(s) URLs only: stored links never become ``javascript:``/``data:`` hrefs."""
    from urllib.parse import urlsplit

    try:
        return urlsplit((url or "").strip()).scheme.lower() in ("http", "https")
    except ValueError:
        return False


@register.filter
def iso_datetime(value: datetime | date | None) -> str:
    """``{{ moment|iso_datetime }}``: ``2025-03-14T09:30:00+01:00`` (local time, whole seconds).

    The one machine-readable date format of every page, feed and structured data:
    a valid HTML ``<time datetime>`` (at most three digits of a second fraction, so
    Django's ``|date:"c"`` with microseconds is not), ISO 8601 and W3C-DTF. Dates
    stay dates (``2025-03-14``); empty values give an empty string.
    """
    if not value:
        return ""
    if isinstance(value, datetime):
        if is_aware(value):
            value = localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


# --- Images --------------------------------------------------------------------------


def _prefetched_renditions(image) -> list:
    """Renditions only if already loaded (never a hidden query in a template)."""
    cache = getattr(image, "_prefetched_objects_cache", {})
    return list(cache["renditions"]) if "renditions" in cache else []


def _srcset(renditions) -> str:
    return ", ".join(f"{r.file.url} {r.width}w" for r in renditions)


def picture_data(image, *, variant: str = "16x9", preferred_width: int = 960) -> dict:
    """Sources for a responsive ``<picture>``; falls back to the original file."""
    renditions = [r for r in _prefetched_renditions(image) if r.spec.startswith(f"{variant}-w")]
    avif = sorted((r for r in renditions if r.format == "avif"), key=lambda r: r.width)
    webp = sorted((r for r in renditions if r.format == "webp"), key=lambda r: r.width)
    jpeg = sorted((r for r in renditions if r.format == "jpeg"), key=lambda r: r.width)
    fallback = None
    if jpeg:
        fitting = [r for r in jpeg if r.width <= preferred_width]
        fallback = fitting[-1] if fitting else jpeg[0]
    return {
        "avif_srcset": _srcset(avif),
        "webp_srcset": _srcset(webp),
        "jpeg_srcset": _srcset(jpeg),
        "src": fallback.file.url if fallback else image.file.url,
        "width": fallback.width if fallback else image.width,
        "height": fallback.height if fallback else image.height,
    }


@register.simple_tag
def picture(
    image, sizes: str = "100vw", variant: str = "16x9", loading: str = "lazy", css: str = ""
) -> SafeString:
    """``{% picture image sizes="..." %}``: avif + webp + jpeg srcsets, original as
    fallback (``includes/picture.jinja``; Jinja2 partials call the same function)."""
    context = {"image": image, "sizes": sizes, "loading": loading, "css": css}
    return jinja.render(
        "includes/picture.jinja", {**context, **picture_data(image, variant=variant)}
    )


def image_url(image) -> str:
    """Absolute URL of the largest 16:9 jpeg rendition (for social cards), else the original."""
    data = [
        r
        for r in _prefetched_renditions(image)
        if r.format == "jpeg" and r.spec.startswith("16x9-w")
    ]
    chosen = max(data, key=lambda r: r.width) if data else None
    return absolute(chosen.file.url if chosen else image.file.url)


@register.simple_tag
def social_image(image) -> dict:
    """``{% social_image image as og %}``: url, width, height for OpenGraph/Twitter."""
    data = [
        r
        for r in _prefetched_renditions(image)
        if r.format == "jpeg" and r.spec.startswith("16x9-w")
    ]
    chosen = max(data, key=lambda r: r.width) if data else None
    return {
        "url": image_url(image),
        "width": chosen.width if chosen else image.width,
        "height": chosen.height if chosen else image.height,
    }


# --- Body -----------------------------------------------------------------------------


@register.simple_tag
def article_body(article, after_paragraph: int = 2) -> BodyParts:
    """``{% article_body article 2 as body %}``: cleaned body split for an inline ad slot."""
    credit = article.agency.credit if article.agency_id else ""
    return split_body(
        clean_body_html(article.body), after_paragraph=int(after_paragraph), credit=credit
    )


@register.filter
def sanitized(value: str) -> SafeString:
    """Clean editor HTML (static pages) with the allow-list and mark only that output safe."""
    return mark_safe(clean_body_html(value or ""))  # noqa: S308


# --- Structured data --------------------------------------------------------------


def json_ld_script(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` block, escaped like ``json_script``."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@lru_cache(maxsize=4)
def _logo_size(path: str) -> tuple[int, int]:
    found = finders.find(path)
    location = found if isinstance(found, str) else str(Path(settings.STATIC_ROOT) / path)
    with PILImage.open(location) as logo:
        return logo.size


def publisher_data() -> dict:
    """The publisher (schema.org NewsMediaOrganization) with its logo, as Google asks."""
    width, height = _logo_size(settings.PUBLISHER_LOGO)
    return {
        "@type": "NewsMediaOrganization",
        "@id": f"{settings.SITE_URL}/#publisher",
        "name": settings.SITE_NAME,
        "url": f"{settings.SITE_URL}/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(settings.PUBLISHER_LOGO)),
            "width": width,
            "height": height,
        },
    }


def structured_data_images(image) -> list[str]:
    """Absolute URLs of the image in 16:9, 4:3 and 1:1 (the largest JPEG of each crop);
    the original when no rendition exists yet. Uses prefetched renditions only."""
    jpeg = [r for r in _prefetched_renditions(image) if r.format == "jpeg"]
    urls = []
    for prefix in ("16x9-w", "4x3-", "1x1-"):
        crops = [r for r in jpeg if r.spec.startswith(prefix)]
        if crops:
            urls.append(absolute(max(crops, key=lambda r: r.width).file.url))
    return urls or [absolute(image.file.url)]


def _person(author) -> dict:
    return {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}


def article_structured_data(page) -> dict:
    """schema.org NewsArticle for an ``ArticlePage``: the properties Google documents for
    articles (headline, image in three crops, dates, authors with URL) and what news
    sites add (publisher with logo, section, language and translations, free access,
    corrections)."""
    article = page.article
    url = article.canonical_url or absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{url}#artikel",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "description": article.meta_description or article.lead,
        "datePublished": iso_datetime(page.published_at) or None,
        "dateModified": iso_datetime(article.updated_at),
        "articleSection": article.section.name,
        "inLanguage": article.language,
        "isAccessibleForFree": True,
        "author": [_person(a) for a in page.authors]
        or [{"@type": "Organization", "name": settings.SITE_NAME, "url": f"{settings.SITE_URL}/"}],
        "publisher": publisher_data(),
        "keywords": [tag.name for tag in page.tags],
    }
    if article.dateline:
        data["dateline"] = article.dateline
    if article.is_sponsored:
        # Advertising in article form: schema.org's type for it, and who paid.
        data["@type"] = "AdvertiserContentArticle"
        data["sponsor"] = {"@type": "Organization", "name": article.sponsor}
    if article.teaser_image_id:
        data["image"] = structured_data_images(article.teaser_image)
        data["thumbnailUrl"] = data["image"][0]
    others = [v for v in getattr(page, "versions", []) if v.pk != article.pk]
    if others and article.translation_of_id:
        original = next((v for v in others if v.pk == article.translation_of_id), None)
        if original is not None:
            data["translationOfWork"] = {"@id": absolute(original.get_absolute_url())}
    elif others:
        data["workTranslation"] = [{"@id": absolute(v.get_absolute_url())} for v in others]
    if article.agency_id:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.agency.name}
    corrections = page.corrections
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": c.text,
                "datePublished": iso_datetime(c.published_at),
            }
            for c in corrections
        ]
    return {key: value for key, value in data.items() if value is not None}


def breadcrumb_data(*crumbs: tuple[str, str | None]) -> dict:
    """schema.org BreadcrumbList from (name, path) pairs; the last may have no path."""
    items = []
    for position, (name, path) in enumerate(crumbs, start=1):
        item: dict = {"@type": "ListItem", "position": position, "name": name}
        if path:
            item["item"] = absolute(path)
        items.append(item)
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}


def _home_path() -> str:
    return reverse("articles:home")


def article_breadcrumb_data(article) -> dict:
    """Home › section › article, in the article's language."""
    with translation.override(article.language):
        section_path = article.section.get_absolute_url()
        home = _home_path()
    return breadcrumb_data(
        (settings.SITE_NAME, home), (article.section.name, section_path), (article.headline, None)
    )


def website_data() -> dict:
    """schema.org WebSite with the site search as SearchAction (the home page's block)."""
    search = absolute(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": f"{settings.SITE_URL}/#website",
        "name": settings.SITE_NAME,
        "url": absolute(_home_path()),
        "inLanguage": translation.get_language() or settings.LANGUAGE_CODE,
        "publisher": {"@id": f"{settings.SITE_URL}/#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def author_profile_data(author) -> dict:
    """schema.org ProfilePage whose main entity is the author (a Person)."""
    person = {**_person(author), "@id": f"{absolute(author.get_absolute_url())}#person"}
    if author.bio:
        person["description"] = author.bio
    if author.photo_id:
        person["image"] = absolute(author.photo.file.url)
    person["worksFor"] = {"@id": f"{settings.SITE_URL}/#publisher"}
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": absolute(author.get_absolute_url()),
        "mainEntity": person,
    }


@register.simple_tag
def article_page_for(article):
    """``{% article_page_for article as page %}``: fragments when a view passed only ``article``
    (the admin preview)."""
    return selectors.article_page_for(article)


@register.simple_tag
def article_json_ld(page, extra: dict | None = None) -> SafeString:
    """``{% article_json_ld page %}``: the NewsArticle and BreadcrumbList JSON-LD blocks.

    ``extra`` overrides properties of the article's block: the ticker app passes a
    LiveBlogPosting's type, coverage times and updates (``ticker_structured_data``).
    """
    data = {**article_structured_data(page), **(extra or {})}
    return mark_safe(  # noqa: S308 - two blocks escaped by json_ld_script
        json_ld_script(data) + json_ld_script(article_breadcrumb_data(page.article))
    )


@register.simple_tag
def home_json_ld() -> SafeString:
    """``{% home_json_ld %}``: WebSite (with the search) and the publisher."""
    publisher = {"@context": "https://schema.org", **publisher_data()}
    return mark_safe(json_ld_script(website_data()) + json_ld_script(publisher))  # noqa: S308


@register.simple_tag
def author_json_ld(author) -> SafeString:
    """``{% author_json_ld author %}``: the author's ProfilePage with a Person."""
    return json_ld_script(author_profile_data(author))


@register.simple_tag
def section_json_ld(section) -> SafeString:
    """``{% section_json_ld section %}``: Home › section as BreadcrumbList."""
    return json_ld_script(breadcrumb_data((settings.SITE_NAME, _home_path()), (section.name, None)))
