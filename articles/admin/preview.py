"""The staff preview of an article: the reader page before readers see it, never cached."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from articles.admin.base import ArticleAdminBase


class ArticlePreviewViews(ArticleAdminBase):
    """The preview page of the article admin (its URL is in ``ArticleAdmin.get_urls``)."""

    @staticmethod
    def _preview_allowed(request, article):
        return request.user.is_staff and request.user.has_perm("articles.preview_article")

    def preview_view(self, request, pk):
        article = self._get_visible(request, pk)
        if not self._preview_allowed(request, article):
            raise PermissionDenied
        response = TemplateResponse(
            request,
            "admin/articles/article/preview.html",
            {"article": article, "is_preview": True, "preview": True},
        )
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response
