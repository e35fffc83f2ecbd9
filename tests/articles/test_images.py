"""Uploads are validated and cleaned by Pillow; renditions are made once and stored."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from articles.images import (
    AVIF_RENDITIONS,
    build_renditions,
    focal_crop_box,
    normalise_upload,
    planned_renditions,
)
from articles.models import Image, ImageRendition
from tests.factories import ImageFactory, make_image_bytes


def upload(data: bytes, name: str = "bild.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def png_claiming_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb)."""
    buffer = io.BytesIO()
    PILImage.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_fake_image_is_refused_with_a_german_message():
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        normalise_upload(upload(b"<?php echo 'hallo'; ?>" + b"\xff" * 100, "bild.jpg"))


def test_truncated_image_is_refused():
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        normalise_upload(upload(make_image_bytes(400, 300)[:600]))


def test_decompression_bomb_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="Dekompressionsbombe"):
        normalise_upload(upload(png_claiming_size(30000, 30000), "bombe.png"))


def test_oversized_file_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000
    with pytest.raises(ValidationError, match="zu groß"):
        normalise_upload(upload(make_image_bytes(2000, 2000) + b"\0" * 20_000))


def test_too_many_pixels_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="zu groß"):
        normalise_upload(upload(make_image_bytes(1200, 1000)))


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_are_refused(fmt):
    with pytest.raises(ValidationError, match="nicht erlaubt"):
        normalise_upload(upload(make_image_bytes(50, 50, fmt=fmt), f"bild.{fmt.lower()}"))


@pytest.mark.parametrize(
    ("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("AVIF", "avif")]
)
def test_allowed_formats_are_accepted(fmt, ext):
    clean = normalise_upload(upload(make_image_bytes(64, 48, fmt=fmt), f"Straße.{ext}"))
    assert clean.name.startswith("strasse-") and clean.name.endswith(f".{ext}")
    assert PILImage.open(io.BytesIO(clean.read())).format == fmt


def test_exif_orientation_is_applied_and_metadata_stripped():
    picture = PILImage.new("RGB", (80, 40), (200, 0, 0))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # rotate 90° on display
    exif[0x010F] = "Kamerahersteller"
    exif[0x8825] = {1: "N"}  # GPS IFD
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"geheim")
    clean = PILImage.open(io.BytesIO(normalise_upload(upload(buffer.getvalue())).read()))
    assert clean.size == (40, 80)
    assert not clean.getexif()
    assert "comment" not in clean.info and "exif" not in clean.info


def test_focal_point_crop_stays_inside_the_image():
    assert focal_crop_box(1000, 1000, focal_x=0.5, focal_y=0.0) == (0, 0, 1000, 562)
    assert focal_crop_box(1000, 1000, focal_x=0.5, focal_y=1.0) == (0, 438, 1000, 1000)
    assert focal_crop_box(3200, 900, focal_x=1.0, focal_y=0.5) == (1600, 0, 3200, 900)


# 16:9 and uncropped at 4 widths in AVIF (where Pillow writes it), WebP and JPEG, plus
# the 4:3 and 1:1 crops for structured data in JPEG.
RENDITIONS_OF_A_1600_PX_IMAGE = 4 * 2 * (3 if AVIF_RENDITIONS else 2) + 2


@pytest.mark.django_db
def test_renditions_are_made_once_in_every_spec_and_format():
    image = ImageFactory()  # 1600 × 900
    created = build_renditions(image)
    specs = {(r.spec, r.format): (r.width, r.height) for r in created}
    assert len(specs) == RENDITIONS_OF_A_1600_PX_IMAGE
    assert set(specs) == planned_renditions(image)
    assert specs[("16x9-w640", "webp")] == (640, 360)
    if AVIF_RENDITIONS:
        assert specs[("16x9-w640", "avif")] == (640, 360)
    assert specs[("orig-w1280", "jpeg")] == (1280, 720)
    # For structured data: 4:3 and 1:1 as large as the original allows, up to 1200 px.
    assert specs[("4x3-large", "jpeg")] == (1200, 900)
    assert specs[("1x1-large", "jpeg")] == (900, 900)
    assert build_renditions(image) == []  # stored, not made again


@pytest.mark.django_db
def test_small_images_are_not_upscaled():
    image = ImageFactory(file=SimpleUploadedFile("k.jpg", make_image_bytes(500, 500)))
    created = build_renditions(image)
    specs = {r.spec for r in created}
    assert specs == {"16x9-w320", "orig-w320", "4x3-large", "1x1-large"}
    assert {(r.spec, r.format) for r in created} == planned_renditions(image)


@pytest.mark.django_db
def test_build_renditions_command_fills_the_gaps():
    image = ImageFactory()
    call_command("build_renditions", verbosity=0)
    assert ImageRendition.objects.filter(image=image).count() == RENDITIONS_OF_A_1600_PX_IMAGE


@pytest.mark.django_db
def test_image_admin_refuses_a_bomb_and_accepts_a_real_image(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    url = reverse("admin:articles_image_add")
    fields = {
        "alt_text": "Rathaus",
        "caption": "",
        "credit": "Foto: Demo",
        "focal_x": "0.5",
        "focal_y": "0.5",
    }
    response = client.post(
        url, {**fields, "file": upload(png_claiming_size(30000, 30000), "b.png")}
    )
    assert response.status_code == 200
    assert "Dekompressionsbombe" in response.text
    assert not Image.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**fields, "file": upload(make_image_bytes(1280, 720))})
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == editor
    assert (
        image.renditions.count() == RENDITIONS_OF_A_1600_PX_IMAGE
    )  # built by the background task after commit


@pytest.mark.django_db
def test_ckeditor_upload_validates_images(client, journalist):
    client.force_login(journalist)
    url = reverse("ckeditor_upload")
    bad = client.post(url, {"upload": upload(b"kein bild", "x.jpg")})
    assert bad.status_code == 400
    assert "kein gültiges Bild" in bad.json()["error"]["message"]
    good = client.post(url, {"upload": upload(make_image_bytes(300, 200), "Foto.jpg")})
    assert good.json()["uploaded"] == 1
    assert good.json()["url"].startswith("/media/uploads/")
    dialog = client.post(url + "?CKEditorFuncNum=3", {"upload": upload(b"nope", "x.jpg")})
    assert "callFunction(3" in dialog.text and "nonce=" in dialog.text


@pytest.mark.django_db
def test_ckeditor_upload_is_closed_to_readers(client):
    response = client.post(reverse("ckeditor_upload"), {"upload": upload(make_image_bytes(10, 10))})
    assert response.status_code == 302


def png_made_by_pillow(width: int, height: int) -> bytes:
    """A real PNG of ``width`` × ``height`` pixels (one bit each: small in memory and on disk)."""
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (20000, 10000),  # over twice Pillow's own limit: Pillow refuses it while opening
        (12000, 8000),  # over Pillow's limit: Pillow warns while opening
        (8000, 6000),  # over ours only
    ],
)
def test_decompression_bomb_message_names_the_real_size(width, height):
    with pytest.raises(ValidationError) as refused:
        normalise_upload(upload(png_made_by_pillow(width, height), "riesig.png"))
    message = " ".join(refused.value.messages)
    assert f"{width} × {height} Bildpunkten" in message
    assert "Dekompressionsbombe" in message
