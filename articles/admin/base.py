"""What every page of the article admin shares."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from articles.models import Article
from core.admin import ExplainsHiddenObjectsMixin


class ArticleAdminBase(ExplainsHiddenObjectsMixin, admin.ModelAdmin):
    """The article admin's pages find their article the same way (visible to the user)."""

    def hidden_object_reason(self, request, obj) -> str:
        # A journalist followed a link to a colleague's article (ArticleAdmin.get_queryset).
        owners = [author.name for author in obj.authors.all()]
        if not owners and obj.created_by_id:
            owners = [obj.created_by.get_full_name() or obj.created_by.get_username()]
        if not owners:
            return gettext(
                "Den Artikel mit ID „%(key)s“ dürfen Sie nicht öffnen: Sie bearbeiten nur "
                "eigene Artikel."
            ) % {"key": obj.pk}
        return gettext(
            "Den Artikel mit ID „%(key)s“ dürfen Sie nicht öffnen: Sie bearbeiten nur "
            "eigene Artikel, dieser ist von %(owners)s. Fragen Sie den Chef vom Dienst."
        ) % {"key": obj.pk, "owners": ", ".join(owners)}

    def _get_visible(self, request, pk) -> Article:
        article = get_object_or_404(Article.objects.select_related("section", "agency"), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article
