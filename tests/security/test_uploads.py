"""Nothing uploaded can run as HTML on the site's origin.

Editorial images (image library and CKEditor) and ad images are checked by
Pillow: only real JPEG/PNG/WebP(/AVIF) files within byte and pixel limits are
accepted; SVG, HTML, fake images, decompression bombs and polyglots are refused
with a German message or — editorial images — re-encoded so that nothing but
pixels survives, under a name whose extension matches the real format."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ads.models import Creative
from ads.validators import validate_ad_image
from articles.forms import ImageAdminForm
from tests.ads.factories import CampaignFactory
from tests.factories import UserFactory, make_image_bytes

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>alert(document.domain)</script><rect width='100' height='100'/></svg>"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny file that claims enormous dimensions: a decompression bomb's header."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def gif_polyglot() -> bytes:
    """Valid as JavaScript (GIF89a=…) and starts like a GIF."""
    return b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=0;alert(document.domain)//" + b"\x00" * 32


def jpeg_with_html() -> bytes:
    """A real JPEG with an HTML page appended after its end marker."""
    return make_image_bytes(64, 64, "JPEG") + SCRIPT


REFUSED = {
    "text pretending to be a JPEG": (
        "foto.jpg",
        b"Das ist kein Bild, nur Text.",
        "kein gültiges Bild",
    ),
    "HTML page": ("seite.html", SCRIPT, "kein gültiges Bild"),
    "HTML named .jpg": ("foto.jpg", SCRIPT, "kein gültiges Bild"),
    "SVG with a script": ("grafik.svg", SVG, "kein gültiges Bild"),
    "GIF/JavaScript polyglot": ("bild.gif", gif_polyglot(), ""),
    "decompression bomb": ("bombe.png", png_header_only(40_000, 40_000), ""),
    "empty file": ("leer.png", b"", ""),
}


def _image_form(name: str, content: bytes) -> ImageAdminForm:
    return ImageAdminForm(
        data={
            "alt_text": "Alternativtext",
            "caption": "",
            "credit": "",
            "focal_x": 0.5,
            "focal_y": 0.5,
        },
        files={"file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_image_library_refuses_what_is_not_a_real_image(case):
    name, content, message = REFUSED[case]
    form = _image_form(name, content)
    assert not form.is_valid()
    errors = " ".join(form.errors["file"])
    assert message in errors
    assert errors  # a clear German message, never a crash


def test_a_decompression_bomb_is_named_as_such():
    form = _image_form("bombe.png", png_header_only(40_000, 40_000))
    assert not form.is_valid()
    assert "Dekompressionsbombe" in " ".join(form.errors["file"])


def test_a_file_over_the_byte_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    form = _image_form(
        "gross.png", make_image_bytes(1200, 1200, "PNG", color=None) + b"\x00" * 60_000
    )
    assert not form.is_valid()
    assert "zu groß" in " ".join(form.errors["file"])


def test_a_polyglot_jpeg_is_re_encoded_so_only_pixels_survive():
    form = _image_form("harmlos.jpg", jpeg_with_html())
    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["file"].read()
    assert b"<script" not in cleaned
    assert b"<html" not in cleaned


def test_a_real_image_with_a_wrong_extension_is_stored_under_its_real_format():
    form = _image_form("seite.html", make_image_bytes(64, 64, "PNG"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name.endswith(".png")


@pytest.fixture
def journalist(journalist, client):
    """The role's user (tests/conftest.py), signed in."""
    client.force_login(journalist)
    return journalist


@pytest.mark.parametrize("case", list(REFUSED))
def test_ckeditor_uploads_refuse_what_is_not_a_real_image(client, journalist, case):
    name, content, _message = REFUSED[case]
    response = client.post("/ckeditor/upload/", {"upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    body = response.json()
    assert body["uploaded"] == 0
    assert body["error"]["message"]
    assert not default_storage.exists("uploads")


def test_ckeditor_stores_polyglots_only_as_clean_images(client, journalist):
    response = client.post(
        "/ckeditor/upload/", {"upload": SimpleUploadedFile("bild.html", jpeg_with_html())}
    )
    assert response.status_code == 200
    stored = response.json()["fileName"]
    assert stored.endswith(".jpg")
    (path,) = [f"{folder}/{stored}" for folder, _dirs, files in _walk("uploads") if stored in files]
    with default_storage.open(path) as fh:
        data = fh.read()
    assert data.startswith(b"\xff\xd8")
    assert b"<script" not in data


def _walk(top):
    folders, files = default_storage.listdir(top)
    yield top, folders, files
    for folder in folders:
        yield from _walk(f"{top}/{folder}")


def test_ckeditor_uploads_need_the_image_permission(client):
    client.force_login(UserFactory(username="moderatorin", is_staff=True))
    response = client.post(
        "/ckeditor/upload/",
        {"upload": SimpleUploadedFile("a.png", make_image_bytes(64, 64, "PNG"))},
    )
    assert response.status_code == 403


def test_ckeditor_uploads_from_other_sites_are_refused(client, journalist):
    response = client.post(
        "/ckeditor/upload/",
        {"upload": SimpleUploadedFile("a.png", make_image_bytes(64, 64, "PNG"))},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 403


AD_REFUSED = {
    "text pretending to be a PNG": ("banner.png", b"kein Bild", "gültiges Bild"),
    "HTML named .png": ("banner.png", SCRIPT, "gültiges Bild"),
    "SVG with a script": ("banner.svg", SVG, ""),
    "GIF/JavaScript polyglot": ("banner.gif", gif_polyglot(), ""),
    "decompression bomb": ("bombe.png", png_header_only(40_000, 40_000), ""),
    "a real PNG named .html": ("banner.html", make_image_bytes(728, 90, "PNG"), ""),
}


def _ad_form(name: str, content: bytes):
    """The form the ad manager uses (the admin's model form for creatives)."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/ads/creative/add/")
    request.user = UserFactory(username="chef", is_staff=True, is_superuser=True)
    form_class = admin.site._registry[Creative].get_form(request)
    campaign = CampaignFactory()
    return form_class(
        data={
            "campaign": campaign.pk,
            "name": "Banner",
            "kind": Creative.Kind.IMAGE,
            "is_active": "on",
            "click_url": "https://werbung.example/",
            "alt_text": "Werbung",
        },
        files={"image": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("case", list(AD_REFUSED))
def test_ad_images_refuse_what_is_not_a_real_image(case):
    name, content, message = AD_REFUSED[case]
    form = _ad_form(name, content)
    assert not form.is_valid()
    messages = " ".join(form.errors.get("image", []))
    assert messages
    assert message in messages


def test_a_decompression_bomb_is_refused_by_the_ad_validator_itself():
    """The validator also guards code paths without the admin form (e.g. imports)."""
    with pytest.raises(ValidationError) as error:
        validate_ad_image(SimpleUploadedFile("bombe.png", png_header_only(40_000, 40_000)))
    assert "zu groß" in " ".join(error.value.messages)


def test_ad_images_over_two_megabytes_are_refused():
    big = io.BytesIO()
    from PIL import Image as PILImage

    PILImage.effect_noise((1200, 1200), 64).convert("RGB").save(big, "PNG")
    assert big.tell() > 2 * 1024 * 1024 or pytest.skip("noise image compressed too well")
    creative = Creative(
        campaign=CampaignFactory(),
        name="Banner",
        kind=Creative.Kind.IMAGE,
        click_url="https://werbung.example/",
        alt_text="Werbung",
        image=SimpleUploadedFile("gross.png", big.getvalue()),
    )
    with pytest.raises(ValidationError) as error:
        creative.full_clean()
    assert "2 MB" in " ".join(error.value.message_dict["image"])


def test_media_is_documented_to_be_served_with_nosniff_and_a_sandbox():
    """nginx serves /media/ in production (docs/deployment.md); its headers make
    even a stray non-image file inert: no sniffing, no scripts, sandboxed."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text()
    block = text[text.index("location /media/") :]
    block = block[: block.index("}")]
    assert "X-Content-Type-Options nosniff" in block
    assert "default-src 'none'" in block
    assert "sandbox" in block
