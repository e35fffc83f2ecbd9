"""Background endpoints of the article change form: autosave and presence.

JSON in, JSON out, for ``articles/static/articles/admin/desk_live.js``; the writes go
through ``articles.services`` (autosave) and ``articles.presence`` (a heartbeat in the
counters cache).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.admin.base import ArticleAdminBase
from articles.presence import presence_beat
from articles.services import autosave as autosaves
from core.parsing import parse_int


class ArticleAutosaveViews(ArticleAdminBase):
    """Autosave endpoints of the article admin (URLs in ``ArticleAdmin.get_urls``)."""

    def autosave_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        try:
            payload = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": _("Ungültige Anfrage.")}, status=400)
        if not isinstance(payload, dict) or not isinstance(payload.get("fields"), dict):
            return JsonResponse({"error": _("Ungültige Anfrage.")}, status=400)
        base_version = parse_int(str(payload.get("base_version", "")), minimum=1)
        if base_version is None:
            return JsonResponse({"error": _("Ungültige Anfrage.")}, status=400)
        try:
            autosave = autosaves.autosave_store(
                actor=request.user,
                article=article,
                base_version=base_version,
                data=payload["fields"],
            )
        except PermissionDenied:
            return JsonResponse(
                {"error": _("Sie dürfen diesen Artikel nicht bearbeiten.")}, status=403
            )
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        article.refresh_from_db(fields=["version", "updated_by"])
        newer = article.version != base_version
        return JsonResponse(
            {
                "saved_at": date_format(timezone.localtime(autosave.saved_at), "TIME_FORMAT"),
                "message": _("Entwurf automatisch gesichert um %(time)s.")
                % {"time": date_format(timezone.localtime(autosave.saved_at), "TIME_FORMAT")},
                # Someone saved since the form was opened: saving will show the conflict.
                "newer_version": article.version if newer else None,
            }
        )

    def autosave_discard_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        if autosaves.autosave_discard(actor=request.user, article=article):
            messages.success(request, _("Automatisch gesicherter Entwurf verworfen."))
        return redirect("admin:articles_article_change", article.pk)

    def presence_view(self, request, pk):
        """The heartbeat of an open change form: answers who else has it open."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._get_visible(request, pk)
        others = presence_beat(user=request.user, article_id=article.pk)
        return JsonResponse({"others": others, "message": _presence_message(others)})

    def _presence_context(self, request, article) -> dict:
        return {
            "presence_url": reverse("admin:articles_article_presence", args=[article.pk]),
            "presence_seconds": settings.ADMIN_PRESENCE_SECONDS,
            "present_others": presence_beat(user=request.user, article_id=article.pk),
        }

    def _autosave_context(self, request, article) -> dict:
        if not self.has_change_permission(request, article):
            return {}
        autosave = autosaves.autosave_for(user=request.user, article=article)
        return {
            "autosave_enabled": True,
            "autosave": autosave,
            "autosave_payload": (
                {"base_version": autosave.base_version, "fields": autosave.data}
                if autosave
                else None
            ),
        }


def _presence_message(others: list[str]) -> str:
    if not others:
        return ""
    return ngettext(
        "%(names)s bearbeitet diesen Artikel ebenfalls.",
        "%(names)s bearbeiten diesen Artikel ebenfalls.",
        len(others),
    ) % {"names": ", ".join(others)}
