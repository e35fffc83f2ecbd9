"""The staff preview of an article (the reader page before readers see it, never cached)
and the shareable preview links made and withdrawn from the change form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.admin.base import ArticleAdminBase
from articles.models import PreviewLink
from articles.services import preview_links
from core.parsing import parse_int


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

    # --- shareable preview links (buttons of the change form's side panel) ---------

    def preview_link_create_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        days = parse_int(request.POST.get("preview_link_days") or "7") or 0
        try:
            preview_links.preview_link_create(actor=request.user, article=article, days=days)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "Vorschau-Link angelegt: gültig %(days)s Tag.",
                    "Vorschau-Link angelegt: gültig %(days)s Tage.",
                    days,
                )
                % {"days": days},
            )
        return redirect(f"{self._change_url(article)}#vorschau-links")

    def preview_link_revoke_view(self, request, pk, link_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        link = get_object_or_404(PreviewLink, pk=link_id, article=article)
        preview_links.preview_link_revoke(actor=request.user, link=link)
        messages.success(request, _("Vorschau-Link zurückgezogen: er öffnet nichts mehr."))
        return redirect(f"{self._change_url(article)}#vorschau-links")

    def _preview_links_context(self, request, article) -> dict:
        """The side panel's box: active links with their URLs, if the user may share."""
        if not preview_links.can_share_preview(request.user, article):
            return {}
        links = [link for link in article.preview_links.all() if link.is_active()]
        return {
            "can_share_preview": True,
            "preview_links": [
                (link, request.build_absolute_uri(preview_links.preview_link_path(link)))
                for link in links
            ],
            "preview_link_days": [1, 3, 7, 14, 30],
        }

    @staticmethod
    def _change_url(article) -> str:
        return reverse("admin:articles_article_change", args=[article.pk])
