"""Upload validation for ad images (Pillow): a real JPEG, PNG or WebP within size limits."""

from __future__ import annotations

import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 3000
MIN_SIDE = 20


def validate_ad_image(file) -> None:
    """Raise ``ValidationError`` (German message) unless ``file`` is an acceptable ad image.

    Reads the file (and rewinds it); no other side effects.
    """
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("Das Bild ist größer als 2 MB."), code="too_large")
    was_closed = getattr(file, "closed", False)
    try:
        if was_closed and hasattr(file, "open"):
            # A stored image whose file an earlier step closed (the admin form's
            # dimension update): reopen it, else seek() fails and an unchanged save
            # was refused as "not an image" (tests/admin_roundtrip).
            file.open("rb")
        file.seek(0)
        with warnings.catch_warnings():
            # Pillow refuses (or only warns about) images with absurd pixel counts
            # when opening them: a decompression bomb, refused like any huge image.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as probe:
                fmt = probe.format
                width, height = probe.size
                probe.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("Das Bild ist zu groß (höchstens %(max)s Pixel je Seite).") % {"max": MAX_SIDE},
            code="too_many_pixels",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Die Datei ist kein gültiges Bild."), code="invalid_image") from exc
    finally:
        try:
            # A stored FieldFile was opened just for this check: close it again.
            if was_closed:
                file.close()
            else:
                file.seek(0)
        except (OSError, ValueError):
            pass
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(_("Erlaubt sind nur JPEG, PNG und WebP."), code="invalid_format")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise ValidationError(
            _("Das Bild ist zu groß (höchstens %(max)s Pixel je Seite).") % {"max": MAX_SIDE},
            code="too_many_pixels",
        )
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ValidationError(
            _("Das Bild ist zu klein (mindestens %(min)s Pixel je Seite).") % {"min": MIN_SIDE},
            code="too_small",
        )
