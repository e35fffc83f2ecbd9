"""Bulk actions of the article change list that ask first: schedule, unpublish, move to a
section, add a tag.

Each action shows a confirmation page (the selected articles and the value to apply),
then runs ``articles.services`` once per article (``bulk_apply``: permission per article,
audit entry, purge on commit) and answers with a report of what was done and what was
refused, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.admin.base import ArticleAdminBase
from articles.models import Article, Section
from articles.services import bulk


class BulkScheduleForm(forms.Form):
    go_live_at = forms.SplitDateTimeField(
        label=_("Veröffentlichen ab"),
        widget=AdminSplitDateTime,
        help_text=_("Zeit der Redaktion (Berlin)."),
    )


class BulkUnpublishForm(forms.Form):
    note = forms.CharField(
        label=_("Notiz"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkMoveForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Ressort"), queryset=Section.objects.all())


class BulkTagForm(forms.Form):
    tag = forms.CharField(label=_("Schlagwort"), max_length=100)


def _schedule(actor: Any, data: dict) -> Callable[[Article], object]:
    return lambda article: bulk.article_schedule(
        actor=actor, article=article, go_live_at=data["go_live_at"]
    )


def _unpublish(actor: Any, data: dict) -> Callable[[Article], object]:
    return lambda article: services.article_unpublish(
        actor=actor, article=article, note=data.get("note", "")
    )


def _move(actor: Any, data: dict) -> Callable[[Article], object]:
    return lambda article: bulk.article_move_to_section(
        actor=actor, article=article, section=data["section"]
    )


def _tag(actor: Any, data: dict) -> Callable[[Article], object]:
    return lambda article: bulk.article_add_tag(actor=actor, article=article, tag=data["tag"])


# action name: (title, form, step factory)
BULK_ACTIONS: dict[str, tuple[Any, type[forms.Form], Callable[[Any, dict], Any]]] = {
    "schedule_selected": (_("Planen (Zeitpunkt wählen)"), BulkScheduleForm, _schedule),
    "unpublish_selected": (_("Zurückziehen"), BulkUnpublishForm, _unpublish),
    "move_to_section_selected": (_("In ein Ressort verschieben"), BulkMoveForm, _move),
    "add_tag_selected": (_("Schlagwort hinzufügen"), BulkTagForm, _tag),
}


class ArticleBulkActions(ArticleAdminBase):
    """The confirming bulk actions (their names go into ``ArticleAdmin.actions``)."""

    def _bulk_confirmed(
        self, request: HttpRequest, queryset: QuerySet[Article], action: str
    ) -> TemplateResponse:
        title, form_class, step_factory = BULK_ACTIONS[action]
        articles = list(queryset.order_by("-updated_at", "pk"))
        confirmed = request.POST.get("bulk_confirm") == "1"
        form = form_class(request.POST if confirmed else None)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "action": action,
            "articles": articles,
            "form": form,
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        if not (confirmed and form.is_valid()):
            return TemplateResponse(request, "admin/articles/article/bulk_confirm.html", context)
        report = bulk.bulk_apply(
            articles=articles, step=step_factory(request.user, form.cleaned_data)
        )
        if report.done:
            count = len(report.done)
            self.message_user(
                request,
                ngettext(
                    "%(count)d Artikel: %(action)s erledigt.",
                    "%(count)d Artikel: %(action)s erledigt.",
                    count,
                )
                % {"count": count, "action": title},
                messages.SUCCESS,
            )
        if report.refused:
            count = len(report.refused)
            self.message_user(
                request,
                ngettext(
                    "%(count)d Artikel abgelehnt, Gründe siehe unten.",
                    "%(count)d Artikel abgelehnt, Gründe siehe unten.",
                    count,
                )
                % {"count": count},
                messages.WARNING,
            )
        context["report"] = report
        return TemplateResponse(request, "admin/articles/article/bulk_report.html", context)

    @admin.action(description=_("Planen (Zeitpunkt wählen) …"), permissions=["publish"])
    def schedule_selected(self, request, queryset):
        return self._bulk_confirmed(request, queryset, "schedule_selected")

    @admin.action(description=_("In ein Ressort verschieben …"), permissions=["change"])
    def move_to_section_selected(self, request, queryset):
        return self._bulk_confirmed(request, queryset, "move_to_section_selected")

    @admin.action(description=_("Schlagwort hinzufügen …"), permissions=["change"])
    def add_tag_selected(self, request, queryset):
        return self._bulk_confirmed(request, queryset, "add_tag_selected")
