"""What every page of the article admin shares."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from articles.models import Article


class ArticleAdminBase(admin.ModelAdmin):
    """The article admin's pages find their article the same way (visible to the user)."""

    def _get_visible(self, request, pk) -> Article:
        article = get_object_or_404(Article.objects.select_related("section", "agency"), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article
