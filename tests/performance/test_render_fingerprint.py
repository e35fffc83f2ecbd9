"""Pages and fragments cached by one release are not served by the next (issue #14):
their keys carry a fingerprint of the templates and of the settings pages show."""

import pytest
from django.test import override_settings

from core import pagecache
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cache_backend")]


def test_a_changed_setting_shown_on_pages_is_not_served_from_old_fragments(client, settings):
    article = ArticleFactory(published=True)
    settings.PAGE_CACHE_ENABLED = True
    assert "Täglicher Bote" not in client.get(article.get_absolute_url()).text
    with override_settings(SITE_NAME="Täglicher Bote"):
        assert "Täglicher Bote" in client.get(article.get_absolute_url()).text


def test_a_changed_template_changes_the_fingerprint(tmp_path, settings):
    before = pagecache.render_fingerprint()
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "extra.html").write_text("<p>neu</p>")
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
    with override_settings(TEMPLATES=templates):
        changed = pagecache.render_fingerprint()
        (folder / "extra.html").write_text("<p>anders</p>")
        pagecache.forget_render_fingerprint()
        edited = pagecache.render_fingerprint()
    assert len({before, changed, edited}) == 3
    assert pagecache.render_fingerprint() == before


@pytest.mark.parametrize("name", ["partial.jinja", "mail.txt", "sitemap.xml", "page.html"])
def test_every_kind_of_template_file_is_part_of_the_fingerprint(tmp_path, settings, name):
    """Jinja2 partials, mail texts and XML templates render pages too: a deploy that
    changes one must not serve what the old one rendered."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / name).write_text("eins")
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], folder]}]
    with override_settings(TEMPLATES=templates):
        before = pagecache.render_fingerprint()
        (folder / name).write_text("zwei")
        pagecache.forget_render_fingerprint()
        assert pagecache.render_fingerprint() != before
