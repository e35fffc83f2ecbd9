from io import StringIO

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from ads.demo import SLOTS, seed_demo_ads
from ads.models import Advertiser, Campaign, Creative, Slot

pytestmark = pytest.mark.django_db


def test_demo_ads_are_seeded_once_and_show_labelled(settings):
    out = StringIO()
    seed_demo_ads(stdout=out, verbosity=1)
    counts = (
        Slot.objects.count(),
        Advertiser.objects.count(),
        Campaign.objects.count(),
        Creative.objects.count(),
    )
    seed_demo_ads(stdout=StringIO(), verbosity=1)
    assert counts == (
        Slot.objects.count(),
        Advertiser.objects.count(),
        Campaign.objects.count(),
        Creative.objects.count(),
    )
    assert {code for code, *_ in SLOTS} == set(Slot.objects.values_list("code", flat=True))
    assert Creative.objects.filter(kind="image").exclude(image="").exists()
    assert Creative.objects.filter(kind="text").exists()
    for creative in Creative.objects.all():
        creative.full_clean()
    html = Template('{% load ads %}{% ad_slot "home_top" %}').render(
        Context({"request": RequestFactory().get("/")})
    )
    assert "ANZEIGE" in html
    assert "angelegt" in out.getvalue()


@pytest.mark.parametrize("size", [(320, 100), (728, 90), (300, 250)])
def test_a_demo_banners_text_fits_inside_the_banner(size):
    """The phone banner showed "dhaus Elbufer – Lastenräd": the text ran off both edges."""
    import io

    from PIL import Image

    from ads.demo import banner_bytes

    width, height = size
    colour = (22, 110, 70)
    image = Image.open(
        io.BytesIO(banner_bytes(width, height, "Radhaus Elbufer – Lastenräder", colour))
    )
    image = image.convert("RGB")
    margin = [x for x in range(2, 8)] + [x for x in range(width - 8, width - 2)]
    touched = {x for x in margin for y in range(2, height - 2) if image.getpixel((x, y)) != colour}
    assert not touched, f"text reaches the edge at x={sorted(touched)}"
