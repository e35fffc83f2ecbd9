"""Error pages (404, 403, 500 ...) are rendered without the request's context processors
(``core.views.error_page``): their frame must still be the site's, the same header
navigation and footer as every reader page in that language, with nothing printed from
a value that is missing (``lang="None"`` was)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def part(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


FOOTER = r'<footer class="site-footer">.*?</footer>'
SECTIONS = r'<nav class="section-nav".*?</nav>'


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_error_pages_show_the_frame_of_every_reader_page(prefix, published, settings):
    from pages.models import Page
    from tests.factories import SectionFactory

    SectionFactory(name="Politik", slug="politik")
    published()
    Page.objects.filter(slug="impressum").update(show_in_footer=True)
    assert Page.objects.filter(show_in_footer=True).exists()
    settings.FULL_TEXT_FEEDS = True
    home = Client().get(f"{prefix}/").text
    missing = Client().get(f"{prefix}/gibt-es-nicht/")
    assert missing.status_code == 404
    refused = Client(enforce_csrf_checks=True).post(f"{prefix}/kommentare/1/schreiben/", {})
    assert refused.status_code == 403
    for page in (missing.text, refused.text):
        assert part(page, FOOTER) == part(home, FOOTER)
        assert part(page, SECTIONS) == part(home, SECTIONS)
        assert not re.search(r'="None"', page)
