from ckeditor.widgets import CKEditorWidget
from django import forms
from django.contrib import admin

from core.sanitize import clean_body_html
from pages.models import Page


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "show_in_footer", "footer_order", "noindex"]
        widgets = {"body": CKEditorWidget()}

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
