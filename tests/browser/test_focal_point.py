"""The image form: a click on the picture sets the focal point, the crops follow, and the
saved focus rebuilds the renditions around it."""

from __future__ import annotations

import pytest

from articles.models import Image
from newsroom.roles import JOURNALIST
from tests.browser.conftest import PHONE, admin_login
from tests.browser.people import staff_member
from tests.factories import ImageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_journalist_sets_the_focal_point_by_clicking_the_picture(new_page, viewport):
    image = ImageFactory(focal_x=0.5, focal_y=0.5)  # 1600 × 900
    page = new_page(viewport)
    admin_login(page, staff_member("redakteurin", JOURNALIST))
    page.goto(f"/admin/articles/image/{image.pk}/change/")
    picture = page.locator(".focal-picker img")
    box = picture.bounding_box()
    assert box is not None
    # A quarter from the left, a fifth from the top.
    picture.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.2})
    assert abs(float(page.input_value("#id_focal_x")) - 0.25) < 0.02
    assert abs(float(page.input_value("#id_focal_y")) - 0.2) < 0.02
    # The 1:1 crop moved to the left edge with the focus (object-position 0%).
    square = page.locator('.crop-preview[data-ratio="1.0"] img')
    assert square.evaluate("img => img.style.objectPosition").startswith("0%")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    image.refresh_from_db()
    assert abs(image.focal_x - 0.25) < 0.02 and abs(image.focal_y - 0.2) < 0.02
    assert Image.objects.get(pk=image.pk).focal_x == image.focal_x
