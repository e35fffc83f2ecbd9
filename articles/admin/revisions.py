"""An article's revisions in the admin: history, side-by-side compare, restore."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.admin.base import ArticleAdminBase
from articles.models import ArticleRevision
from articles.revisions import diff_snapshots
from core.parsing import parse_int


class ArticleRevisionViews(ArticleAdminBase):
    """The revision pages of the article admin (URLs in ``ArticleAdmin.get_urls``).

    Restoring goes through ``services.revision_restore`` (a new revision, history kept).
    """

    def revisions_view(self, request, pk):
        article = self._get_visible(request, pk)
        revisions = article.revisions.select_related("created_by")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Versionen von „%(headline)s“") % {"headline": article.headline},
            "revisions": revisions,
            "can_restore": services.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revision_compare_view(self, request, pk):
        article = self._get_visible(request, pk)
        revisions = {r.number: r for r in article.revisions.select_related("created_by")}
        if not revisions:
            raise Http404
        to_number = parse_int(request.GET.get("bis") or str(max(revisions)))
        if to_number not in revisions:
            raise Http404
        from_number = parse_int(request.GET.get("von") or str(max(to_number - 1, min(revisions))))
        if from_number not in revisions:
            raise Http404
        old, new = revisions[from_number], revisions[to_number]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Version %(old)s und %(new)s im Vergleich")
            % {"old": from_number, "new": to_number},
            "old": old,
            "new": new,
            "changes": diff_snapshots(old.snapshot, new.snapshot),
            "numbers": sorted(revisions, reverse=True),
            "can_restore": services.can_edit(request.user, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_restore_view(self, request, pk, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        revision = get_object_or_404(ArticleRevision, article=article, number=number)
        services.revision_restore(actor=request.user, revision=revision)
        messages.success(
            request,
            _("Version %(number)s wurde als neue Version wiederhergestellt.") % {"number": number},
        )
        return redirect("admin:articles_article_change", article.pk)
