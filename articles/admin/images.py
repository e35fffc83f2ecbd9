"""The picture library: uploads with alt text, credit, focal point and renditions."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.forms import ImageAdminForm
from articles.images import RATIOS, focal_crop_box, planned_renditions
from articles.models import Image
from core.admin import person_display

# How the crop previews name the site's ratios.
RATIO_LABELS = {"16x9": "16:9", "4x3": "4:3", "1x1": "1:1"}


def crop_position(image: Image, ratio: float) -> tuple[float, float]:
    """``object-position`` percentages that show exactly the crop ``build_renditions``
    cuts for ``ratio`` (``focal_crop_box``) in a box of that ratio."""
    left, top, right, bottom = focal_crop_box(
        image.width, image.height, focal_x=image.focal_x, focal_y=image.focal_y, ratio=ratio
    )
    free_x, free_y = image.width - (right - left), image.height - (bottom - top)
    return (
        round(100 * left / free_x, 2) if free_x else 50.0,
        round(100 * top / free_y, 2) if free_y else 50.0,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "alt_text",
        "credit",
        "width",
        "height",
        "rendition_count",
        "created_at",
    ]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["preview", "width", "height", "rendition_count", "uploaded_by_name"]
    fields = [
        "file",
        "preview",
        "alt_text",
        "caption",
        "credit",
        ("focal_x", "focal_y"),
        ("width", "height"),
        "rendition_count",
        "uploaded_by_name",
    ]
    uploaded_by_name = person_display(Image, "uploaded_by")

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, obj):
        return self._img(obj, 120)

    class Media:
        js = ["articles/admin/focal_point.js"]
        css = {"all": ["articles/admin/focal_point.css"]}

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        """The picture to click for the focal point (focal_point.js writes Fokus X/Y; without
        JavaScript the two numbers are typed as before) and the crop of every ratio."""
        if not (obj and obj.pk and obj.file and obj.width and obj.height):
            return "–"
        marker = format_html(
            '<span class="focal-marker" style="left: {}%; top: {}%"></span>',
            round(obj.focal_x * 100, 2),
            round(obj.focal_y * 100, 2),
        )
        picker = format_html(
            '<div class="focal-picker" data-width="{}" data-height="{}">'
            '<img src="{}" alt="{}" width="480" title="{}">{}</div>'
            '<p class="help">{}</p>',
            obj.width,
            obj.height,
            self._src(obj),
            obj.alt_text,
            _("Klicken Sie auf den wichtigsten Bildteil."),
            marker,
            _(
                "Fokus: ins Bild klicken (oder die Zahlen unten eingeben). Die Ausschnitte "
                "zeigen, was jede Seitenverhältnis-Variante vom Bild zeigt."
            ),
        )
        crops = format_html_join(
            "",
            '<figure class="crop-preview" data-ratio="{}">'
            '<img src="{}" alt="" style="aspect-ratio: {}; object-position: {}% {}%">'
            "<figcaption>{}</figcaption></figure>",
            (
                (ratio, self._src(obj), ratio, *crop_position(obj, ratio), RATIO_LABELS[key])
                for key, ratio in RATIOS.items()
            ),
        )
        return format_html('{}<div class="crop-previews">{}</div>', picker, crops)

    @staticmethod
    def _src(obj) -> str:
        medium = next(
            (r for r in obj.renditions.all() if r.spec == "orig-w960" and r.format == "jpeg"), None
        )
        return str(medium.file.url if medium else obj.file.url)

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
        """Ready when every planned rendition (``planned_renditions``) is stored; else
        pending (the background task or ``build_renditions`` makes them)."""
        if not (obj and obj.pk):
            return "–"
        planned = planned_renditions(obj)
        stored = {(r.spec, r.format) for r in obj.renditions.all()}
        done = len(planned & stored)
        if done >= len(planned):
            return format_html(
                '<span class="renditions-ready">{}</span>',
                _("fertig (%(done)s von %(total)s)") % {"done": done, "total": len(planned)},
            )
        return format_html(
            '<span class="renditions-pending">{}</span>',
            _("ausstehend (%(done)s von %(total)s)") % {"done": done, "total": len(planned)},
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    def save_model(self, request, obj, form, change):
        services.image_save(actor=request.user, image=obj, file_changed="file" in form.changed_data)
