"""gzip for reader pages, feeds and sitemaps, in production without a proxy (issue #18,
item 6).

Only answers marked *public* are compressed: everything the page cache may store
(``core.pagecache.mark_cacheable``, which ``cache_for_readers`` applies to every reader
page, feed and sitemap). Those are the same for every reader and carry no secret, so
compression cannot leak one (BREACH needs a secret next to reflected input). Admin
pages, forms with CSRF tokens and per-reader JSON are never marked and never
compressed; Django's ``GZipMiddleware`` is deliberately not used site-wide.

The page cache stores a compressed copy next to the plain one when it stores a page,
so a hit is answered without compressing again (``core.pagecache``), and the render
that filled the cache reuses that copy. Every marked answer carries
``Vary: Accept-Encoding``; a compressed one a weak ETag (RFC 9110 8.8.1), which still
matches ``If-None-Match``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.text import compress_string

MIN_LENGTH = 200
COMPRESSIBLE_TYPES = (
    "text/",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/json",
    "application/ld+json",
)
_PUBLIC = "_newsroom_public_answer"
_PRECOMPRESSED = "_newsroom_gzip"
_accepts_gzip = _lazy_re_compile(r"\bgzip\b")


def mark_public(response: HttpResponse) -> HttpResponse:
    """Flag ``response`` as the same for every reader, without secrets: it may be
    compressed. Side effect: on the response object only."""
    setattr(response, _PUBLIC, True)
    return response


def accepts_gzip(request: HttpRequest) -> bool:
    return bool(_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compressed_body(content: bytes, content_type: str) -> bytes | None:
    """``content`` gzip-compressed when that is worth it for ``content_type`` (text,
    XML, feeds, JSON of at least 200 bytes that get smaller), else None. Deterministic
    (no random padding: there is no secret to hide), so copies are byte-identical."""
    if len(content) < MIN_LENGTH or not content_type.startswith(COMPRESSIBLE_TYPES):
        return None
    compressed = compress_string(content)
    return compressed if len(compressed) < len(content) else None


def remember_compressed(response: HttpResponse, compressed: bytes | None) -> None:
    """Attach an already compressed body (the page cache made one), used instead of
    compressing again."""
    setattr(response, _PRECOMPRESSED, compressed)


def use_compressed(response: HttpResponse, compressed: bytes) -> HttpResponse:
    """Make ``response`` carry ``compressed`` as its gzip-encoded body."""
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    response.headers["Content-Encoding"] = "gzip"
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    return response


class ReaderCompressionMiddleware:
    """Compress public answers for clients that accept gzip (outermost but the health
    check: also the page cache's hits)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(response, _PUBLIC, False) or response.streaming:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if (
            response.status_code != 200
            or response.has_header("Content-Encoding")
            or not accepts_gzip(request)
        ):
            return response
        compressed = getattr(response, _PRECOMPRESSED, None)
        if compressed is None:
            compressed = compressed_body(response.content, response.get("Content-Type", ""))
        return use_compressed(response, compressed) if compressed is not None else response
