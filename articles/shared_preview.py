"""The shareable preview page: an unpublished article for a reviewer without an account.

Thin view over ``services.preview_link_resolve``; never cached (not marked for the
page cache, ``Cache-Control: private, no-store``), never indexed, no referrer sent on.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.services.preview_links import preview_link_resolve


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    link = preview_link_resolve(token)
    if link is None:
        # Forged, expired or revoked look the same: nothing about the article leaks.
        return _private(TemplateResponse(request, "articles/preview_link_gone.html", status=410))
    return _private(
        TemplateResponse(
            request,
            "admin/articles/article/preview.html",
            {
                "article": link.article,
                "is_preview": True,
                "preview": True,
                "shared_preview": link,
            },
        )
    )
