"""Reference data of the articles: sections, authors, agencies and tags."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.forms import MergeTagsForm
from taggit.models import Tag

from articles.extensions import URLIFY_DE
from articles.models import Agency, Author, Section
from articles.tags import tag_get_or_create, tag_save, validate_tag_name
from core.admin import person_display


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
    user_name = person_display(Author, "user")

    def get_fields(self, request, obj=None):
        """Who may only view an author sees the linked user as a name, not as a link to
        the user admin that only superusers may open."""
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            return ["user_name" if name == "user" else name for name in fields]
        return fields

    class Media:
        js = URLIFY_DE


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["credit", "name", "licence_days"]
    search_fields = ["name", "credit"]


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
