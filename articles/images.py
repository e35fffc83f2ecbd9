"""Image uploads: validation and normalisation with Pillow, and stored renditions.

Every upload (Image admin, CKEditor) passes ``normalise_upload``: it must be a
real, decodable JPEG/PNG/WebP/AVIF within the byte and pixel limits
(decompression bombs are refused before decoding), it is turned upright
by its EXIF orientation and re-encoded without metadata (EXIF with GPS
positions and camera serials, XMP, comments). Renditions for ``srcset`` are
made once by ``build_renditions`` and stored as ``ImageRendition``.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterator
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError, features

from articles.models import Image, ImageRendition
from articles.signals import image_renditions_built
from articles.slugs import german_slugify

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
RENDITION_WIDTHS = (320, 640, 960, 1280)
# AVIF first (smallest), where this Pillow can write it (Pillow 11.3+ built with libavif;
# without it the site serves WebP and JPEG as before).
AVIF_RENDITIONS = features.check("avif")
RENDITION_FORMATS = (
    *((("avif", "AVIF", "avif"),) if AVIF_RENDITIONS else ()),
    ("webp", "WEBP", "webp"),
    ("jpeg", "JPEG", "jpg"),
)
# Encoder options per format: AVIF at speed 8 takes about a tenth of the default's time
# for a 1280 px picture at the same size.
RENDITION_OPTIONS: dict[str, dict] = {
    "avif": {"quality": 60, "speed": 8},
    "webp": {"quality": 82},
    "jpeg": {"quality": 82, "optimize": True},
}
CROP_RATIO = 16 / 9
# The crops of every image: 16:9 for the pages at every width; 4:3 and 1:1 once, as large
# as the original allows up to 1200 px, for search engines (Google's Article structured
# data asks for 16:9, 4:3 and 1:1, at least 1200 px wide; 16:9 comes from "16x9-w1280").
RATIOS = {"16x9": CROP_RATIO, "4x3": 4 / 3, "1x1": 1.0}
STRUCTURED_DATA_RATIOS = ("4x3", "1x1")
STRUCTURED_DATA_WIDTH = 1200


def max_upload_bytes() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_BYTES", 20 * 1024 * 1024)


def max_upload_pixels() -> int:
    return getattr(settings, "NEWSROOM_IMAGE_MAX_PIXELS", 40_000_000)


def _bomb_error(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "Das Bild ist mit %(width)s × %(height)s Bildpunkten zu groß (höchstens "
            "%(max)s Megapixel). Solche Dateien können den Server lahmlegen "
            "(Dekompressionsbombe) und werden abgelehnt. Bitte verkleinern Sie das Bild."
        ),
        code="too_many_pixels",
        params={"width": width, "height": height, "max": max_upload_pixels() // 1_000_000},
    )


def _declared_size(data: bytes) -> tuple[int, int]:
    """Width and height the file's header declares, read without decoding any pixel.

    ``PILImage.open`` refuses a decompression bomb before it tells the size, so
    the header is read by the allowed formats' own parsers, which do not check
    the pixel count (that check lives in ``open``). Only called for a file
    ``open`` refused as a bomb, so one of them recognises it.
    """
    PILImage.init()
    prefix = data[:16]
    for name in ALLOWED_FORMATS:
        factory, accept = PILImage.OPEN.get(name, (None, None))
        if factory is None or (accept is not None and not accept(prefix)):
            continue
        try:
            with factory(io.BytesIO(data), "") as header:
                return header.size
        except (OSError, SyntaxError, ValueError):
            continue
    raise _not_an_image()


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("Die Datei ist kein gültiges Bild oder ist beschädigt."), code="invalid_image"
    )


def normalise_upload(upload) -> ContentFile:
    """Validate an uploaded image and return a clean copy (upright, without metadata).

    Raises ``ValidationError`` with a German message for: files over the byte
    limit, anything Pillow cannot decode, formats other than JPEG/PNG/WebP/AVIF,
    and images over the pixel limit (decompression bombs).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_bytes():
        raise ValidationError(
            _("Die Datei ist zu groß (%(size)s MB, höchstens %(max)s MB erlaubt)."),
            code="too_large",
            params={
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "max": max_upload_bytes() // (1024 * 1024),
            },
        )
    upload.seek(0)
    data = upload.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise ValidationError(
            _("Die Datei ist zu groß (höchstens %(max)s MB erlaubt)."),
            code="too_large",
            params={"max": max_upload_bytes() // (1024 * 1024)},
        )
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit: treat that as a bomb, too.
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            probe = PILImage.open(io.BytesIO(data))
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _bomb_error(*_declared_size(data)) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
        if probe.format not in ALLOWED_FORMATS:
            raise ValidationError(
                _(
                    "Das Format %(format)s ist nicht erlaubt. Erlaubt sind JPEG, PNG, WebP und AVIF."
                ),
                code="format",
                params={"format": probe.format or "?"},
            )
        width, height = probe.size
        if width * height > max_upload_pixels():
            raise _bomb_error(width, height)
        image_format = probe.format
        try:
            probe.verify()
            picture = PILImage.open(io.BytesIO(data))
            picture.load()
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _bomb_error(width, height) from None
        except (OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
    icc_profile = picture.info.get("icc_profile")
    picture = ImageOps.exif_transpose(picture)  # applies and drops the orientation tag
    return ContentFile(
        _encode(picture, image_format, icc_profile=icc_profile),
        name=_clean_name(getattr(upload, "name", "") or "bild", ALLOWED_FORMATS[image_format]),
    )


def _clean_name(original: str, extension: str) -> str:
    stem = german_slugify(PurePath(original).stem, max_length=60) or "bild"
    return f"{stem}-{uuid.uuid4().hex[:8]}.{extension}"


def _encode(picture: PILImage.Image, image_format: str, *, icc_profile=None) -> bytes:
    """Re-encode without EXIF/XMP/comments (only the colour profile is kept)."""
    if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    if image_format in ("WEBP", "AVIF") and picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    clean = PILImage.new(picture.mode, picture.size)
    clean.paste(picture)
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=88, optimize=True, progressive=True)
    elif image_format == "PNG":
        options.update(optimize=True)
    else:
        options.update(quality=85)
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **options)
    return buffer.getvalue()


class ImageUploadField(forms.FileField):
    """A form field that accepts only validated images and cleans them (see module doc)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,image/avif"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if value and value is not initial and hasattr(value, "read"):
            return normalise_upload(value)
        return value


# --- renditions --------------------------------------------------------------


def rendition_specs() -> Iterator[tuple[str, int, str | None, tuple[str, ...]]]:
    """(spec, width, ratio in ``RATIOS`` or None for the uncropped image, formats) for
    every stored rendition. Structured-data crops are JPEG only and never upscaled."""
    every_format = tuple(fmt for fmt, _pil, _ext in RENDITION_FORMATS)
    for width in RENDITION_WIDTHS:
        yield f"16x9-w{width}", width, "16x9", every_format
        yield f"orig-w{width}", width, None, every_format
    for ratio in STRUCTURED_DATA_RATIOS:
        yield f"{ratio}-large", STRUCTURED_DATA_WIDTH, ratio, ("jpeg",)


def focal_crop_box(
    width: int, height: int, *, focal_x: float, focal_y: float, ratio: float = CROP_RATIO
) -> tuple[int, int, int, int]:
    """The largest ``ratio`` box inside the image, centred on the focal point where possible."""
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def planned_renditions(image: Image) -> set[tuple[str, str]]:
    """The (spec, format) pairs ``build_renditions`` makes for ``image`` (no upscaling:
    widths beyond the crop are left out). Reads only the stored size; no decoding."""
    if not (image.width and image.height):
        return set()
    planned = set()
    for spec, width, ratio, formats in rendition_specs():
        base_width = image.width
        if ratio:
            left, _top, right, _bottom = focal_crop_box(
                image.width,
                image.height,
                focal_x=image.focal_x,
                focal_y=image.focal_y,
                ratio=RATIOS[ratio],
            )
            base_width = right - left
        if ratio in STRUCTURED_DATA_RATIOS:
            width = min(width, base_width)
        if width > base_width:
            continue
        planned.update((spec, fmt) for fmt in formats)
    return planned


def _flatten(picture: PILImage.Image) -> PILImage.Image:
    if picture.mode in ("RGBA", "LA", "P"):
        picture = picture.convert("RGBA")
        background = PILImage.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def build_renditions(image: Image, *, force: bool = False) -> list[ImageRendition]:
    """Create the missing renditions of ``image`` (all of them with ``force``).

    No upscaling: widths larger than the source are skipped (templates fall
    back to the original). Returns the renditions created. Side effects: files
    and rows; when any were made or removed, ``image_renditions_built`` once the
    transaction commits (cached pages showing the image are purged).
    """
    removed = False
    if force:
        for rendition in image.renditions.all():
            rendition.file.delete(save=False)
            rendition.delete()
            removed = True
    existing = set(image.renditions.values_list("spec", "format"))
    wanted = [
        (spec, width, ratio, fmt, pil_format, ext)
        for spec, width, ratio, formats in rendition_specs()
        for fmt, pil_format, ext in RENDITION_FORMATS
        if fmt in formats and (spec, fmt) not in existing
    ]
    if not wanted:  # never after ``force``: it removed them all
        return []
    with image.file.open("rb") as fh, PILImage.open(fh) as source:
        source.load()
        source = _flatten(ImageOps.exif_transpose(source))
    crops = {
        key: source.crop(
            focal_crop_box(*source.size, focal_x=image.focal_x, focal_y=image.focal_y, ratio=value)
        )
        for key, value in RATIOS.items()
    }
    created = []
    for spec, width, ratio, fmt, pil_format, ext in wanted:
        base = crops[ratio] if ratio else source
        if ratio in STRUCTURED_DATA_RATIOS:
            width = min(width, base.width)  # as large as the original allows
        if width > base.width:
            continue
        height = max(1, round(base.height * width / base.width))
        resized = base.resize((width, height), PILImage.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, pil_format, **RENDITION_OPTIONS[fmt])
        if ImageRendition.objects.filter(image=image, spec=spec, format=fmt).exists():
            continue  # made by a concurrent worker meanwhile
        rendition = ImageRendition(image=image, spec=spec, format=fmt)
        rendition.file.save(f"{image.pk}-{spec}.{ext}", ContentFile(buffer.getvalue()), save=False)
        rendition.width, rendition.height = resized.size
        rendition.save()
        created.append(rendition)
    if created or removed:
        _announce_renditions(image.pk)
    return created


def _announce_renditions(image_id: int) -> None:
    """Send ``image_renditions_built`` after the rows are committed (at once outside a transaction)."""
    transaction.on_commit(
        lambda: image_renditions_built.send(sender=Image, image_id=image_id), robust=True
    )
