"""The allow-list for HTML written by editors (article bodies).

Every body is cleaned with ``clean_body_html`` before it is stored (services)
and the reader templates only ever mark *this* output safe. Scripts, styles,
event handlers, ``javascript:``/``data:`` URLs, iframes and images from other
hosts (anything but ``MEDIA_URL``: this site's ``/media/`` or the media domain) never survive.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings

from core.parsing import parse_int

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "b", "em", "i",
    "blockquote", "figure", "figcaption", "img", "table", "caption", "thead", "tbody",
    "tfoot", "tr", "th", "td", "hr", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "p": {"data-feedback-point"},
}
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
URL_SCHEMES = {"http", "https", "mailto"}
# Tags whose *content* is dropped too, not only the tag.
CLEAN_CONTENT_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
}


def _is_own_media(src: str) -> bool:
    """Our media: a path under ``MEDIA_URL``, or with media on a media domain (S3, CDN)
    an absolute URL under it (same scheme, host and path prefix)."""
    parts = urlsplit(src)
    if ".." in parts.path:
        return False
    media = urlsplit(settings.MEDIA_URL)
    if media.netloc and (parts.scheme or parts.netloc):
        return (
            (parts.scheme, parts.netloc) == (media.scheme, media.netloc)
            and parts.path.startswith(media.path or "/")
            and not parts.username
            and not parts.password
        )
    if parts.scheme or parts.netloc:
        return False
    # This site's /media/ path: the media, or (with a media domain) bodies from before the move.
    return parts.path.startswith(getattr(settings, "LOCAL_MEDIA_URL", settings.MEDIA_URL))


# Invisible characters a link could hide a scheme behind ("java\u200bscript:").
_INVISIBLE = re.compile(r"[\x00-\x20\u00a0\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _hides_a_scheme(value: str) -> bool:
    """True when the link, read without invisible characters, names a scheme we refuse."""
    match = _SCHEME.match(_INVISIBLE.sub("", value))
    return match is not None and match.group(1).lower() not in URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _is_own_media(value) else None
    if attribute == "href" and _hides_a_scheme(value):
        return None
    if attribute in {"width", "height", "colspan", "rowspan"}:
        return value if parse_int(value, maximum=9999) is not None else None
    return value


def clean_body_html(html: str) -> str:
    """Return ``html`` reduced to the editorial allow-list (idempotent)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <img> whose src was refused is useless: drop it. Safe on nh3's
    # normalised output, which has no raw '>' inside attribute values.
    return _IMG_WITHOUT_SRC.sub("", cleaned)
