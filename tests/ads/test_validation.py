"""Creatives are checked before they can run: real images, alt text, complete text ads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ads.models import Creative
from ads.validators import validate_ad_image
from tests.ads.factories import CampaignFactory, CreativeFactory
from tests.factories import make_image_bytes

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="banner.png"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    validate_ad_image(upload(make_image_bytes(300, 250, fmt)))


def test_a_file_that_is_not_an_image_is_refused_in_german():
    with pytest.raises(ValidationError, match="kein gültiges Bild"):
        validate_ad_image(upload(b"<script>alert(1)</script>", "banner.png"))


def test_other_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 250)).save(buffer, "GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG und WebP"):
        validate_ad_image(upload(buffer.getvalue(), "banner.gif"))


def test_huge_and_tiny_images_are_refused():
    with pytest.raises(ValidationError, match="zu groß"):
        validate_ad_image(upload(make_image_bytes(3200, 100, "PNG")))
    with pytest.raises(ValidationError, match="zu klein"):
        validate_ad_image(upload(make_image_bytes(10, 10, "PNG")))


def test_an_image_ad_needs_an_image_and_alt_text():
    creative = Creative(
        campaign=CampaignFactory(), name="Banner", kind="image", click_url="https://a.example/"
    )
    with pytest.raises(ValidationError) as error:
        creative.full_clean()
    assert {"image", "alt_text"} <= set(error.value.message_dict)


def test_a_text_ad_needs_headline_and_text():
    creative = Creative(
        campaign=CampaignFactory(), name="Text", kind="text", click_url="https://a.example/"
    )
    with pytest.raises(ValidationError) as error:
        creative.full_clean()
    assert {"headline", "text"} <= set(error.value.message_dict)


def test_click_urls_must_be_web_urls():
    creative = Creative(
        campaign=CampaignFactory(),
        name="Text",
        kind="text",
        headline="H",
        text="T",
        click_url="javascript:alert(1)",
    )
    with pytest.raises(ValidationError) as error:
        creative.full_clean()
    assert "click_url" in error.value.message_dict


def test_a_campaign_must_end_after_it_starts():
    campaign = CampaignFactory.build(advertiser=CampaignFactory().advertiser)
    campaign.ends_at = campaign.starts_at
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "ends_at" in error.value.message_dict


@pytest.mark.django_db
def test_a_stored_image_validates_again_after_its_file_was_closed():
    """The admin's unchanged save of a creative: the stored file was opened and closed."""
    creative = Creative(campaign=CampaignFactory(), name="Banner", alt_text="Banner")
    creative.image.save(
        "banner.png", SimpleUploadedFile("b.png", make_image_bytes(300, 250, "PNG"))
    )
    stored = Creative.objects.get(pk=creative.pk).image
    stored.open("rb")
    stored.read(10)
    stored.close()
    validate_ad_image(stored)  # raised "Die Datei ist kein gültiges Bild." before
    assert stored.closed


@pytest.mark.parametrize(
    ("sizes", "error_field"),
    [
        ({"mobile_width": 337, "mobile_height": 250}, "mobile_width"),  # clipped on 375 px
        ({"mobile_width": 300}, "mobile_height"),
        ({"desktop_height": 90}, "desktop_width"),
    ],
)
def test_html_creatives_declare_sizes_a_phone_can_show(sizes, error_field):
    from django.core.exceptions import ValidationError

    creative = CreativeFactory(html_ad=True)
    for name, value in sizes.items():
        setattr(creative, name, value)
    with pytest.raises(ValidationError) as error:
        creative.full_clean()
    assert error_field in error.value.message_dict
    assert Creative.objects.get(pk=creative.pk).mobile_width is None


def test_an_html_creative_without_sizes_takes_the_slots_and_fits_a_phone(slot):
    from ads.rendering import html_sizes

    creative = CreativeFactory(html_ad=True)
    slot.mobile_width, slot.mobile_height = 728, 90  # a slot too wide for a phone
    assert html_sizes(creative, slot) == {"mw": 336, "mh": 42, "dw": 728, "dh": 90}
    creative.mobile_width, creative.mobile_height = 300, 250
    assert html_sizes(creative, slot) == {"mw": 300, "mh": 250, "dw": 728, "dh": 90}
