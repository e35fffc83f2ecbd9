"""The newsroom's desk: articles and their reference data in the Django admin.

Every write of an article goes through ``articles.services`` (saves, workflow
buttons, admin actions, restores); this module only collects input and shows
results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from articles import selectors, services
from articles.extensions import ARTICLE_ADMIN_INLINES, URLIFY_DE
from articles.forms import ArticleAdminForm, ImageAdminForm, WorkflowForm, WorkflowStepForm
from articles.models import (
    Agency,
    Article,
    ArticleAuthor,
    ArticleRevision,
    ArticleURL,
    Author,
    Correction,
    Image,
    RelatedArticle,
    RelatedLink,
    Section,
)
from articles.revisions import diff_snapshots
from articles.tags import tag_get_or_create, tag_save, validate_tag_name
from core.parsing import parse_int


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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "headline",
        "status_label",
        "section",
        "authors_label",
        "go_live_at",
        "updated_at",
        "updated_by",
    ]
    list_select_related = ["section", "updated_by"]
    list_filter = [QuickFilter, "status", "section", "authors", "agency", "tags"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "go_live_at"
    autocomplete_fields = ["section", "agency", "teaser_image"]
    inlines = [ArticleAuthorInline, RelatedArticleInline, RelatedLinkInline, CorrectionInline]
    actions = [
        "submit_selected",
        "publish_selected",
        "unpublish_selected",
        "archive_selected",
        "restore_from_archive_selected",
    ]
    readonly_fields = [
        "status",
        "go_live_at",
        "expires_at",
        "first_published_at",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["kicker", "headline", "slug", "section", "lead", "body", "edit_version"]},
        ),
        (_("Zuordnung"), {"fields": ["agency", "dateline", "teaser_image", "tags"]}),
        (
            _("Suchmaschinen und soziale Medien"),
            {
                "fields": ["meta_description", "social_title", "canonical_url", "noindex"],
                "classes": ["collapse"],
            },
        ),
        (_("Kommentare"), {"fields": ["comment_mode", "comments_close_after_days"]}),
        (
            _("Workflow"),
            {
                "fields": [
                    "status",
                    "go_live_at",
                    "expires_at",
                    "first_published_at",
                    ("created_at", "created_by"),
                    ("updated_at", "updated_by"),
                    "version",
                ]
            },
        ),
    ]

    class Media:
        js = [
            *URLIFY_DE,
            "articles/admin/tag_suggest.js",
            # The go-live and expiry pickers of the workflow panel (AdminSplitDateTime).
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
        ]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *ARTICLE_ADMIN_INLINES]

    # --- prepopulated slug (German transliteration via urlify_de.js) -------

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["headline"]}

    # --- who sees what -----------------------------------------------------

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
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
        if (
            obj.status == Article.Status.PUBLISHED
            and obj.go_live_at
            and obj.go_live_at > timezone.now()
        ):
            return _("Geplant")
        if (
            obj.status == Article.Status.PUBLISHED
            and obj.expires_at
            and obj.expires_at <= timezone.now()
        ):
            return _("Abgelaufen")
        return obj.get_status_display()

    @admin.display(description=_("Autoren"))
    def authors_label(self, obj):
        return ", ".join(str(a.author) for a in obj.authorships.all())

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
                run_transition(request.user, form.instance, step.action, step.form.cleaned_data)
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
            step_form = WorkflowStepForm(action=None, offer_schedule="publish" in allowed)
        return {
            "workflow_actions": [(name, services.ACTION_LABELS[name]) for name in allowed],
            "workflow_form": step_form,
            "workflow_steps": selectors.article_workflow_steps(article=article),
            "TIME_ZONE_NAME": settings.TIME_ZONE,  # the timeline shows newsroom (Berlin) time
            "can_preview": request.user.has_perm("articles.preview_article"),
            "article_status": self.status_label(article),
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
            path("schlagwoerter/", view(self.tag_suggestions_view), name="articles_tag_suggest"),
            *super().get_urls(),
        ]

    def _get_visible(self, request, pk) -> Article:
        article = get_object_or_404(Article.objects.select_related("section", "agency"), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def workflow_view(self, request, pk, action):
        article = self._get_visible(request, pk)
        if action not in services.TRANSITIONS:
            raise Http404
        form = WorkflowForm(request.POST or None, action=action)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                run_transition(request.user, article, action, data)
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
                run_transition(request.user, article, action, {})
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

    @admin.action(description=_("Zurückziehen"), permissions=["unpublish"])
    def unpublish_selected(self, request, queryset):
        self._bulk(request, queryset, "unpublish")

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


def run_transition(user, article: Article, action: str, data: dict) -> Article:
    """Dispatch one workflow action to its service."""
    note = data.get("note", "") or ""
    if action == "submit":
        return services.article_submit(actor=user, article=article, note=note)
    if action == "publish":
        return services.article_publish(
            actor=user,
            article=article,
            go_live_at=data.get("go_live_at"),
            expires_at=data.get("expires_at"),
            note=note,
        )
    if action == "unpublish":
        return services.article_unpublish(actor=user, article=article, note=note)
    if action == "archive":
        return services.article_archive(actor=user, article=article, note=note)
    if action == "send_back":
        return services.article_send_back(actor=user, article=article, reason=note)
    if action == "restore_from_archive":
        return services.article_restore_from_archive(actor=user, article=article, note=note)
    raise Http404


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    class Media:
        js = URLIFY_DE


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]

    class Media:
        js = URLIFY_DE


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["credit", "name"]
    search_fields = ["name", "credit"]


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["thumbnail", "alt_text", "credit", "width", "height", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["preview", "width", "height", "rendition_count", "uploaded_by"]
    fields = [
        "file",
        "preview",
        "alt_text",
        "caption",
        "credit",
        ("focal_x", "focal_y"),
        ("width", "height"),
        "rendition_count",
        "uploaded_by",
    ]

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, obj):
        return self._img(obj, 120)

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        return self._img(obj, 480) if obj and obj.pk else "–"

    @staticmethod
    def _img(obj, width):
        if not obj.file:
            return "–"
        small = next(
            (r for r in obj.renditions.all() if r.spec == "orig-w320" and r.format == "jpeg"), None
        )
        src = small.file.url if small else obj.file.url
        return format_html(
            '<img src="{}" alt="{}" width="{}" loading="lazy">', src, obj.alt_text, width
        )

    @admin.display(description=_("Varianten"))
    def rendition_count(self, obj):
        return obj.renditions.count() if obj and obj.pk else 0

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def save_model(self, request, obj, form, change):
        services.image_save(actor=request.user, image=obj, file_changed="file" in form.changed_data)


admin.site.unregister(Tag)


class TagAdminForm(forms.ModelForm):
    # ASCII like every other slug of the site (taggit's field allows Unicode); empty
    # means: made from the name, as the admin script does (articles.slugs).
    slug = forms.SlugField(
        label=_("Kürzel"),
        max_length=Tag._meta.get_field("slug").max_length,
        required=False,
        help_text=_("Leer lassen: wird aus dem Namen gebildet (ä → ae, ß → ss)."),
    )

    class Meta:
        model = Tag
        fields = ["name", "slug"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        validate_tag_name(name)
        return name


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    form = TagAdminForm
    list_display = ["name", "slug", "usage"]
    search_fields = ["name"]

    class Media:
        js = URLIFY_DE

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("slug") if change else None
        tag_save(tag=obj, previous_slug=previous)

    @admin.display(description=_("Verwendungen"))
    def usage(self, obj):
        return obj.taggit_taggeditem_items.count()

    # taggit's "merge tags" action and view check no permission at all: any staff
    # member could merge (rename) the tags of every article. Only those who may
    # change tags (editors) may merge them (tests/security/test_role_matrix.py).
    @admin.action(description=_("Schlagwörter zusammenführen"), permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            # taggit's view get_or_creates the target by name with its own slug.
            merge = MergeTagsForm(request.POST)
            if merge.is_valid():
                try:
                    tag_get_or_create(merge.cleaned_data["new_tag_name"])
                except ValidationError as error:
                    self.message_user(request, "; ".join(error.messages), messages.ERROR)
                    return redirect(request.get_full_path())
        return super().merge_tags_view(request)


@admin.register(ArticleURL)
class ArticleURLAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "created_at"]
    search_fields = ["slug", "article__headline"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
