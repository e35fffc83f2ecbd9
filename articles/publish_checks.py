"""Checks before publishing: what a desk editor should fix before readers see an article.

Each check is a small named function over the article (no writes, no network). The
change form's side panel shows every finding as a warning; the names listed in the
setting ``PUBLISH_BLOCKING_CHECKS`` also block ``services.article_publish``.

- ``alt_text``: an image in the text or the teaser image without alternative text
- ``headline_length``: a headline longer than search results show (``HEADLINE_SEARCH_LENGTH``)
- ``lead``: no lead (Vorspann)
- ``section``: no section
- ``links``: links to ``http:`` (not encrypted), empty or malformed links, and links to
  pages of this site that do not exist (other sites are not fetched)
- ``heading_order``: the text's headings skip a level (the headline is the h1, the
  text starts at h2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article

HEADING_LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}

CHECK_LABELS = {
    "alt_text": gettext_lazy("Alternativtext"),
    "headline_length": gettext_lazy("Länge der Überschrift"),
    "lead": gettext_lazy("Vorspann"),
    "section": gettext_lazy("Ressort"),
    "links": gettext_lazy("Links"),
    "heading_order": gettext_lazy("Reihenfolge der Zwischenüberschriften"),
}


@dataclass(frozen=True)
class Finding:
    """One problem found by the check ``check``; ``blocking`` if it stops publishing."""

    check: str
    message: str
    blocking: bool


class _Body(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images_without_alt = 0
        self.links: list[str] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and not (values.get("alt") or "").strip():
            self.images_without_alt += 1
        elif tag == "a":
            self.links.append((values.get("href") or "").strip())
        elif tag in HEADING_LEVELS:
            self.headings.append(HEADING_LEVELS[tag])


def _parse(article: Article) -> _Body:
    parser = _Body()
    parser.feed(article.body or "")
    parser.close()
    return parser


def check_alt_text(article: Article, body: _Body) -> list[str]:
    problems = []
    if body.images_without_alt:
        problems.append(
            ngettext(
                "%(count)s Bild im Text ohne Alternativtext.",
                "%(count)s Bilder im Text ohne Alternativtext.",
                body.images_without_alt,
            )
            % {"count": body.images_without_alt}
        )
    image = article.teaser_image if article.teaser_image_id else None
    if image is not None and not (image.alt_text or "").strip():
        problems.append(_("Das Aufmacherbild hat keinen Alternativtext."))
    return problems


def check_headline_length(article: Article, body: _Body) -> list[str]:
    limit = int(getattr(settings, "HEADLINE_SEARCH_LENGTH", 70))
    length = len((article.headline or "").strip())
    if length > limit:
        return [
            _(
                "Die Überschrift hat %(length)s Zeichen; Suchmaschinen zeigen etwa %(limit)s "
                "(ein eigener Titel für soziale Medien oder eine kürzere Fassung hilft)."
            )
            % {"length": length, "limit": limit}
        ]
    return []


def check_lead(article: Article, body: _Body) -> list[str]:
    return [] if (article.lead or "").strip() else [_("Der Vorspann fehlt.")]


def check_section(article: Article, body: _Body) -> list[str]:
    return [] if article.section_id else [_("Kein Ressort gewählt.")]


def _internal_link_exists(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name == "detail" and match.namespace == "articles":
        kwargs = match.kwargs
        return Article.objects.filter(
            section__slug=kwargs.get("section"), slug=kwargs.get("slug")
        ).exists()
    return True


def check_links(article: Article, body: _Body) -> list[str]:
    problems = []
    site = urlsplit(str(getattr(settings, "SITE_URL", "")))
    for href in body.links:
        try:
            parts = urlsplit(href)
        except ValueError:
            problems.append(_("Link nicht lesbar: „%(href)s“.") % {"href": href})
            continue
        if not href or (not parts.scheme and not parts.path and not parts.netloc):
            if not href.startswith("#") or not href[1:]:
                problems.append(_("Ein Link hat kein Ziel."))
            continue
        if parts.scheme == "http":
            problems.append(
                _("Unverschlüsselter Link (http:): „%(href)s“ – bitte https: verwenden.")
                % {"href": href}
            )
        own_site = parts.netloc and parts.netloc == site.netloc
        if (not parts.scheme and not parts.netloc and parts.path.startswith("/")) or own_site:
            if not _internal_link_exists(parts.path or "/"):
                problems.append(
                    _("Link auf eine Seite, die es hier nicht gibt: „%(href)s“.") % {"href": href}
                )
    return problems


def check_heading_order(article: Article, body: _Body) -> list[str]:
    problems = []
    previous = 1  # the headline
    for level in body.headings:
        if level == 1:
            problems.append(_("Der Text enthält eine Überschrift erster Ebene (h1)."))
        elif level > previous + 1:
            problems.append(
                _(
                    "Zwischenüberschrift h%(level)s folgt auf h%(previous)s (eine Ebene übersprungen)."
                )
                % {"level": level, "previous": previous}
            )
        previous = level
    return problems


CHECKS: dict[str, Callable[[Article, _Body], list[str]]] = {
    "alt_text": check_alt_text,
    "headline_length": check_headline_length,
    "lead": check_lead,
    "section": check_section,
    "links": check_links,
    "heading_order": check_heading_order,
}


def blocking_check_names() -> set[str]:
    """The checks that stop publishing (setting ``PUBLISH_BLOCKING_CHECKS``)."""
    return set(getattr(settings, "PUBLISH_BLOCKING_CHECKS", ()))


def run_publish_checks(article: Article) -> list[Finding]:
    """Every finding of every check on ``article`` as it is now (one query at most per
    internal link and one for the teaser image). No side effects."""
    body = _parse(article)
    blocking = blocking_check_names()
    return [
        Finding(check=name, message=message, blocking=name in blocking)
        for name, check in CHECKS.items()
        for message in check(article, body)
    ]
