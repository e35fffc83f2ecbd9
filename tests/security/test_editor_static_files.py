"""CKEditor's bundled test pages and samples are pages of our origin without our CSP:
they are neither collected for production nor served in development."""

from __future__ import annotations

from pathlib import Path

import ckeditor
import pytest
from django.core.management import call_command

BUNDLED = Path(ckeditor.__file__).parent / "static"
TEST_PAGE = "ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html"


def test_the_ckeditor_package_ships_html_test_pages():
    """The premise: without the finder these would be collected and served."""
    pages = sorted(p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*.html"))
    assert TEST_PAGE in pages
    assert len(pages) >= 10


def test_collectstatic_copies_the_editor_but_none_of_its_html_pages(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    editor = tmp_path / "ckeditor" / "ckeditor"
    assert (editor / "ckeditor.js").is_file()
    assert (editor / "plugins" / "image" / "dialogs" / "image.js").is_file()
    assert list((tmp_path / "ckeditor").rglob("*.html")) == []
    assert not (editor / "plugins" / "exportpdf" / "tests").exists()
    assert not (editor / "bender-runner.config.json").exists()


@pytest.mark.django_db
def test_the_editor_is_served_but_its_test_pages_and_samples_are_not(client):
    response = client.get("/static/ckeditor/ckeditor/ckeditor.js")
    assert response.status_code == 200
    assert b"CKEDITOR" in b"".join(response.streaming_content)
    response.close()
    for path in [
        TEST_PAGE,
        "ckeditor/ckeditor/plugins/preview/preview.html",
        "ckeditor/ckeditor/plugins/wsc/dialogs/ciframe.html",
        "ckeditor/ckeditor/README.md",
    ]:
        response = client.get(f"/static/{path}")
        assert response.status_code == 404, path
        response.close()
