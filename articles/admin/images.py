"""The picture library: uploads with alt text, credit, focal point and renditions."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.forms import ImageAdminForm
from articles.models import Image


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
