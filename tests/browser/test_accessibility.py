"""axe-core finds no serious or critical accessibility problems on the reader pages."""

import pytest

from tests.browser.checks import axe_blocking_violations
from tests.browser.data import make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_pages_have_no_serious_accessibility_violations(page):
    article = make_reader_site()
    found = {}
    for url in ("/", article.get_absolute_url(), article.section.get_absolute_url()):
        assert page.goto(url).status == 200, url
        violations = axe_blocking_violations(page)
        if violations:
            found[url] = violations
    assert not found, f"axe-core: {found}"
