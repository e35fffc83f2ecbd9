"""Static pages in the admin: the same rich-text editor and sanitising as article bodies."""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.contrib import admin

from articles.extensions import URLIFY_DE
from core.sanitize import clean_body_html
from pages import services
from pages.models import Page


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "show_in_footer", "footer_order", "noindex"]
        # The article body's widget: CKEditor with the "default" config and image
        # uploads through our Pillow-checked upload view.
        widgets = {"body": CKEditorUploadingWidget()}

    def clean_body(self) -> str:
        # Stored cleaned, like article bodies; the template cleans again when showing it.
        return clean_body_html(self.cleaned_data["body"])


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
