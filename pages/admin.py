"""Static pages in the admin: the same rich-text editor and sanitising as article bodies."""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.contrib import admin

from articles.extensions import URLIFY_DE
from core.richtext import RichTextFormField
from pages import services
from pages.models import Page


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "show_in_footer", "footer_order", "noindex"]
        # The article body's widget: CKEditor with the "default" config and image
        # uploads through our Pillow-checked upload view.
        widgets = {"body": CKEditorUploadingWidget()}
        # CKEditor's serialisation of an unchanged body is not an edit (core.richtext).
        # The service stores the body cleaned; the template cleans again when showing it.
        field_classes = {"body": RichTextFormField}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    list_display = ["title", "slug", "show_in_footer", "footer_order", "updated_at"]
    list_editable = ["show_in_footer", "footer_order"]
    list_filter = ["show_in_footer"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    class Media:
        js = URLIFY_DE  # the site's slugs (ä → ae), not Django's ("burger")

    def save_model(self, request, obj, form, change):
        services.page_save(actor=request.user, page=obj)
