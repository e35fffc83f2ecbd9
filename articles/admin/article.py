"""The article admin: the change form with its workflow panel, bulk actions, old URLs.

Every write of an article goes through ``articles.services`` (saves, workflow
buttons and admin actions via ``services.article_transition``); this module only
collects input and shows results. The preview and revision pages are mixed in from
``articles.admin.preview`` and ``articles.admin.revisions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles import selectors, services
from articles.admin.autosave import ArticleAutosaveViews
from articles.admin.bulk import ArticleBulkActions
from articles.admin.licences import ArticleLicenceViews
from articles.admin.planning import ArticlePlanningViews
from articles.admin.preview import ArticlePreviewViews
from articles.admin.revisions import ArticleRevisionViews
from articles.extensions import ARTICLE_ADMIN_INLINES, URLIFY_DE
from articles.forms import ArticleAdminForm, WorkflowForm, WorkflowStepForm
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    ArticleURL,
    Correction,
    RelatedArticle,
    RelatedLink,
)
from articles.publish_checks import run_publish_checks
from core.admin import person_display


@dataclass
class WorkflowStep:
    """A workflow button pressed on the change form: save the edits, then run ``action``."""

    action: str
    form: WorkflowStepForm
    allowed: bool
    failure: list[str] = field(default_factory=list)  # the service refused it last time

    def problems(self) -> list[str]:
        """Why the step cannot run (the change form shows these and saves nothing)."""
        label = services.ACTION_LABELS.get(self.action, self.action)
        if not self.allowed:
            return [
                _("„%(action)s“ ist für diesen Artikel nicht (mehr) möglich.") % {"action": label}
            ]
        problems = [
            _("%(action)s: %(message)s") % {"action": label, "message": message}
            for message in self.failure
        ]
        if not self.form.is_valid():
            for name, errors in self.form.errors.items():
                field_label = self.form.fields[name].label if name in self.form.fields else ""
                for message in errors:
                    text = f"{field_label}: {message}" if field_label else message
                    problems.append(
                        _("%(action)s: %(message)s") % {"action": label, "message": text}
                    )
        return problems


class WorkflowStepFailed(Exception):
    """The transition service refused the step after the save: roll both back."""

    def __init__(self, messages: list[str]):
        super().__init__(messages)
        self.messages = messages


def _with_workflow_step(form_class, step: WorkflowStep):
    """The article form, invalid (nothing saved) while the requested step cannot run."""

    class ArticleFormWithWorkflowStep(form_class):
        def clean(self):
            cleaned = super().clean()
            for problem in step.problems():
                self.add_error(None, problem)
            return cleaned

    ArticleFormWithWorkflowStep.__name__ = form_class.__name__
    return ArticleFormWithWorkflowStep


def _date_and_time(value) -> str:
    """Date over time in newsroom time: a narrow column (the list fits 1280 px)."""
    local = timezone.localtime(value)
    return format_html(
        '<span class="nowrap">{}</span><br>{}',
        date_format(local, "SHORT_DATE_FORMAT"),
        date_format(local, "TIME_FORMAT"),
    )


# The status column for published articles readers do not see (yet, or any more).
READER_STATE_LABELS = {
    "scheduled": _("Geplant"),
    "expired": _("Abgelaufen"),
    "hidden": _("Nicht sichtbar (ohne Veröffentlichungszeit)"),
}


class QuickFilter(admin.SimpleListFilter):
    title = _("Schnellfilter")
    parameter_name = "ansicht"

    def lookups(self, request, model_admin):
        return [
            ("meine-entwuerfe", _("Meine Entwürfe")),
            ("pruefung", _("Wartet auf Prüfung")),
            ("geplant", _("Geplant")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "meine-entwuerfe":
            return queryset.filter(
                Q(created_by=request.user) | Q(authorships__author__user=request.user),
                status=Article.Status.DRAFT,
            ).distinct()
        if self.value() == "pruefung":
            return queryset.filter(status=Article.Status.REVIEW)
        if self.value() == "geplant":
            return queryset.scheduled()
        return queryset


class ArticleAuthorInline(admin.TabularInline):
    model = ArticleAuthor
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["related"]
    fields = ["related", "position"]


class RelatedLinkInline(admin.TabularInline):
    model = RelatedLink
    extra = 0
    fields = ["title", "url", "position"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["published_at", "text"]


@admin.register(Article)
class ArticleAdmin(
    ArticleRevisionViews,
    ArticlePreviewViews,
    ArticleBulkActions,
    ArticleLicenceViews,
    ArticleAutosaveViews,
    ArticlePlanningViews,
):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "headline",
        "status_label",
        "section",
        "authors_label",
        "go_live_label",
        "last_change_label",
    ]
    list_select_related = ["section", "updated_by"]
    list_filter = [QuickFilter, "status", "section", "authors", "agency", "tags"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "go_live_at"
    autocomplete_fields = ["section", "agency", "teaser_image", "translation_of"]
    inlines = [ArticleAuthorInline, RelatedArticleInline, RelatedLinkInline, CorrectionInline]
    actions = [
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "archive_selected",
        "restore_from_archive_selected",
        # Confirming bulk actions (articles.admin.bulk):
        "schedule_selected",
        "move_to_section_selected",
        "add_tag_selected",
    ]
    readonly_fields = [
        "status",
        "go_live_at",
        "expires_at",
        "first_published_at",
        "created_at",
        "created_by_name",
        "updated_at",
        "updated_by_name",
        "version",
    ]
    created_by_name = person_display(Article, "created_by")
    updated_by_name = person_display(Article, "updated_by")
    fieldsets = [
        (
            None,
            {"fields": ["kicker", "headline", "slug", "section", "lead", "body", "edit_version"]},
        ),
        (_("Zuordnung"), {"fields": ["agency", "dateline", "teaser_image", "tags"]}),
        (_("Sprache"), {"fields": ["language", "translation_of"]}),
        (
            _("Suchmaschinen und soziale Medien"),
            {
                "fields": ["meta_description", "social_title", "canonical_url", "noindex"],
                "classes": ["collapse"],
            },
        ),
        (_("Kommentare"), {"fields": ["comment_mode", "comments_close_after_days"]}),
        (
            _("Kennzeichnung als Anzeige"),
            {"fields": ["kind", "sponsor", "transparency_notice"]},
        ),
        (
            _("Workflow"),
            {
                # Status and dates are also in the side panel, beside the text.
                "classes": ["collapse"],
                "fields": [
                    "status",
                    "go_live_at",
                    "expires_at",
                    "first_published_at",
                    ("created_at", "created_by_name"),
                    ("updated_at", "updated_by_name"),
                    "version",
                ],
            },
        ),
    ]

    class Media:
        # The desk's layout: the change form's side panel, a change list that fits 1280 px.
        css = {"all": ["articles/admin/desk.css"]}
        js = [
            *URLIFY_DE,
            "articles/admin/tag_suggest.js",
            # Autosave and presence of the change form (#desk-live).
            "articles/admin/desk_live.js",
            # The go-live and expiry pickers of the workflow panel (AdminSplitDateTime).
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
        ]

    def get_inlines(self, request, obj):
        # Other apps' inlines (articles.extensions); one with ``show_on_add = False``
        # (the ticker's entries) only belongs on the form of an existing article.
        extensions = [
            i for i in ARTICLE_ADMIN_INLINES if obj is not None or getattr(i, "show_on_add", True)
        ]
        return [*super().get_inlines(request, obj), *extensions]

    # --- prepopulated slug (German transliteration via urlify_de.js) -------

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["headline"]}

    # --- who sees what -----------------------------------------------------

    def get_queryset(self, request):
        queryset = (
            cast(ArticleQuerySet, super().get_queryset(request))
            .with_reader_state()
            .prefetch_related("authorships__author")
            .select_related("section", "updated_by")
        )
        if request.user.has_perm("articles.edit_any_article"):
            return queryset
        own = Q(created_by=request.user) | Q(authorships__author__user=request.user)
        match = getattr(request, "resolver_match", None)
        if match and match.url_name == "autocomplete":
            # Picking related articles: published ones are fair game for everyone.
            return queryset.filter(own | Q(pk__in=Article.objects.published())).distinct()
        return queryset.filter(own).distinct()

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        if obj is None or request.user.has_perm("articles.edit_any_article"):
            return True
        return services.is_own_article(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Articles are archived, not deleted (only superusers may delete).
        return request.user.is_superuser

    # --- columns -------------------------------------------------------------

    @admin.display(description=_("Status"), ordering="status")
    def status_label(self, obj):
        # What readers see, by the rules of Article.objects.published() (annotated by
        # get_queryset(); one query for an article loaded some other way).
        if not hasattr(obj, "reader_state"):
            obj = Article.objects.with_reader_state().get(pk=obj.pk)
        state: str = getattr(obj, "reader_state", "")
        return READER_STATE_LABELS.get(state) or obj.get_status_display()

    @admin.display(description=_("Autoren"))
    def authors_label(self, obj):
        return ", ".join(str(a.author) for a in obj.authorships.all())

    # Short dates and one "last change" column: the list fits 1280 px beside the
    # admin's navigation and the filters (long dates ran off the right edge).
    @admin.display(description=_("Online ab"), ordering="go_live_at")
    def go_live_label(self, obj):
        return _date_and_time(obj.go_live_at) if obj.go_live_at else "–"

    @admin.display(description=_("Geändert"), ordering="updated_at")
    def last_change_label(self, obj):
        who = ""
        if obj.updated_by:
            who = obj.updated_by.get_full_name() or obj.updated_by.get_username()
        return format_html("{}<br><small>{}</small>", _date_and_time(obj.updated_at), who)

    # --- saving through the services ---------------------------------------

    def save_model(self, request, obj, form, change):
        """Deferred to ``save_related``: the service saves article and inlines together."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        step = getattr(request, "_workflow_step", None)
        if obj is None or step is None:
            return form_class
        return _with_workflow_step(form_class, step)

    def save_related(self, request, form, formsets, change):
        parent = super().save_related

        def save_inlines(article):
            parent(request, form, formsets, change)

        step = getattr(request, "_workflow_step", None) if change else None
        edited = form.has_changed() or any(formset.has_changed() for formset in formsets)
        if change and not edited and step is None:
            # Saved without an edit: no new version or revision (the formsets still
            # "save", writing nothing, so the admin's change message can be built).
            parent(request, form, formsets, change)
            return
        if change and edited:
            services.article_update(
                actor=request.user,
                article=form.instance,
                expected_version=form.cleaned_data.get("edit_version"),
                save_related=save_inlines,
            )
        elif not change:
            services.article_create(
                actor=request.user, article=form.instance, save_related=save_inlines
            )
        else:
            # A step on an unchanged form: no new version. The admin's change
            # message reads what the (unsaved, unchanged) inlines did: nothing.
            for formset in formsets:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if step is not None:
            try:
                services.article_transition(
                    actor=request.user,
                    article=form.instance,
                    action=step.action,
                    data=step.form.cleaned_data,
                )
            except (PermissionDenied, ValidationError) as error:
                raise WorkflowStepFailed(
                    getattr(error, "messages", None) or [str(error) or _("nicht erlaubt")]
                ) from error

    def response_change(self, request, obj):
        step = getattr(request, "_workflow_step", None)
        if step is None:
            return super().response_change(request, obj)
        message = _("„%(headline)s“: gespeichert, %(action)s erledigt.") % {
            "headline": obj.headline,
            "action": services.ACTION_LABELS[step.action],
        }
        self.message_user(request, message, messages.SUCCESS)
        return redirect("admin:articles_article_change", obj.pk)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            article = self.get_object(request, object_id)
            if article is not None:
                extra_context.update(self._workflow_context(request, article))
        try:
            return self._changeform_with_retry(request, object_id, form_url, extra_context)
        except WorkflowStepFailed as failure:
            # Edits and step were rolled back together; show the form again with
            # the user's input and the reason (the form is invalid this time).
            request._workflow_step.failure = failure.messages
            return self._changeform_with_retry(request, object_id, form_url, extra_context)

    def _changeform_with_retry(self, request, object_id, form_url, extra_context):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict:
            # Someone saved between our form check and the locked write: render
            # again, the form check now reports the conflict with the user's input.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _workflow_context(self, request, article: Article) -> dict:
        """The workflow panel (buttons that save first) and the timeline of the change form."""
        allowed = services.allowed_transitions(request.user, article)
        action = request.POST.get("_workflow") if request.method == "POST" else None
        if action:
            step_form = WorkflowStepForm(request.POST, action=action)
            request._workflow_step = WorkflowStep(
                action=action, form=step_form, allowed=action in allowed
            )
        else:
            step_form = WorkflowStepForm(
                action=None,
                offer_schedule="publish" in allowed,
                offer_target="submit" in allowed and "publish" not in allowed,
            )
        return {
            "workflow_actions": [(name, services.ACTION_LABELS[name]) for name in allowed],
            "workflow_form": step_form,
            "workflow_steps": selectors.article_workflow_steps(article=article),
            "TIME_ZONE_NAME": settings.TIME_ZONE,  # the timeline shows newsroom (Berlin) time
            "can_preview": request.user.has_perm("articles.preview_article"),
            "article_status": self.status_label(article),
            **self._preview_links_context(request, article),
            "publish_findings": (findings := run_publish_checks(article)),
            "publish_blocked": any(finding.blocking for finding in findings),
            **self._autosave_context(request, article),
            "autosave_seconds": settings.ADMIN_AUTOSAVE_SECONDS,
            **self._presence_context(request, article),
        }

    # --- extra views ------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/arbeitsschritt/<str:action>/",
                view(self.workflow_view),
                name="articles_article_workflow",
            ),
            path("<int:pk>/vorschau/", view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:pk>/vorschau-links/",
                view(self.preview_link_create_view),
                name="articles_article_preview_link_create",
            ),
            path(
                "<int:pk>/vorschau-links/<int:link_id>/zurueckziehen/",
                view(self.preview_link_revoke_view),
                name="articles_article_preview_link_revoke",
            ),
            path(
                "<int:pk>/versionen/", view(self.revisions_view), name="articles_article_revisions"
            ),
            path(
                "<int:pk>/versionen/vergleich/",
                view(self.revision_compare_view),
                name="articles_article_revision_compare",
            ),
            path(
                "<int:pk>/versionen/<int:number>/wiederherstellen/",
                view(self.revision_restore_view),
                name="articles_article_revision_restore",
            ),
            path("<int:pk>/autosave/", view(self.autosave_view), name="articles_article_autosave"),
            path("<int:pk>/anwesend/", view(self.presence_view), name="articles_article_presence"),
            path(
                "<int:pk>/autosave/verwerfen/",
                view(self.autosave_discard_view),
                name="articles_article_autosave_discard",
            ),
            path("planung/", view(self.planning_view), name="articles_article_planning"),
            path(
                "planung/<int:pk>/verschieben/",
                view(self.planning_reschedule_view),
                name="articles_article_planning_reschedule",
            ),
            path(
                "planung/<int:pk>/veroeffentlichen/",
                view(self.planning_publish_view),
                name="articles_article_planning_publish",
            ),
            path("schlagwoerter/", view(self.tag_suggestions_view), name="articles_tag_suggest"),
            *super().get_urls(),
        ]

    def workflow_view(self, request, pk, action):
        article = self._get_visible(request, pk)
        if action not in services.TRANSITIONS:
            raise Http404
        form = WorkflowForm(request.POST or None, action=action)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.article_transition(
                    actor=request.user, article=article, action=action, data=data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("„%(headline)s“: %(action)s erledigt.")
                    % {"headline": article.headline, "action": services.ACTION_LABELS[action]},
                )
                return redirect("admin:articles_article_change", article.pk)
        if action not in services.allowed_transitions(request.user, article) and not form.errors:
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": services.ACTION_LABELS[action],
            "action": action,
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/article/workflow.html", context)

    def tag_suggestions_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        term = request.GET.get("q", "").strip()
        tags = Tag.objects.order_by("name")
        if term:
            tags = tags.filter(name__icontains=term)
        return JsonResponse({"results": list(tags.values_list("name", flat=True)[:20])})

    # --- admin actions (bulk), all through the services ----------------------

    def _bulk(self, request, queryset, action):
        done, failed = 0, []
        for article in queryset:
            try:
                services.article_transition(
                    actor=request.user, article=article, action=action, data={}
                )
            except (PermissionDenied, ValidationError) as error:
                message = (
                    "; ".join(getattr(error, "messages", [])) or str(error) or _("nicht erlaubt")
                )
                failed.append(f"„{article.headline}“: {message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d Artikel: %(action)s erledigt.",
                    "%(count)d Artikel: %(action)s erledigt.",
                    done,
                )
                % {"count": done, "action": services.ACTION_LABELS[action]},
                messages.SUCCESS,
            )
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    @admin.action(description=_("Zur Prüfung einreichen"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description=_("Sofort veröffentlichen"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description=_("Zurückziehen …"), permissions=["unpublish"])
    def unpublish_selected(self, request, queryset):
        # Asks first (with a note), then reports per article (articles.admin.bulk).
        return self._bulk_confirmed(request, queryset, "unpublish_selected")

    @admin.action(description=_("Archivieren"), permissions=["archive"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, "archive")

    @admin.action(description=_("Aus dem Archiv zurückholen"), permissions=["archive"])
    def restore_from_archive_selected(self, request, queryset):
        self._bulk(request, queryset, "restore_from_archive")

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_unpublish_permission(self, request):
        return request.user.has_perm("articles.unpublish_article")

    def has_archive_permission(self, request):
        return request.user.has_perm("articles.archive_article")


@admin.register(ArticleURL)
class ArticleURLAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "created_at"]
    search_fields = ["slug", "article__headline"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
