"""In the real admin, the slug typed from a headline or name is the server's slug."""

from __future__ import annotations

import pytest

from articles.slugs import german_slugify
from newsroom.roles import EDITOR
from tests.browser.conftest import admin_login
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXTS = ["Łódź: Bürger ärgern sich über Straßen", "Kılıçdaroğlu in Москва", "Øresund & Ærø"]


@pytest.mark.parametrize(
    ("add_url", "source", "max_length"),
    [
        ("/admin/articles/article/add/", "#id_headline", 200),
        ("/admin/articles/section/add/", "#id_name", 80),
        ("/admin/taggit/tag/add/", "#id_name", 100),
    ],
)
def test_prepopulated_slugs_equal_the_servers(page, add_url, source, max_length):
    admin_login(page, staff_member("cvd", EDITOR))
    for text in TEXTS:
        page.goto(add_url)
        page.fill(source, text)
        page.dispatch_event(source, "change")
        assert page.input_value("#id_slug") == german_slugify(text, max_length=max_length)
