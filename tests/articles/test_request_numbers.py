"""Article pages, the revision compare and the editor's upload read numbers calmly: never a 500."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import services
from tests.factories import ArticleFactory, make_image_bytes
from tests.newsroom.test_request_numbers import AWKWARD_NUMBERS, HUGE_NUMBERS

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [*AWKWARD_NUMBERS, *HUGE_NUMBERS]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_ckeditor_upload_with_a_malformed_callback_number_answers_json(client, journalist, value):
    client.force_login(journalist)
    url = reverse("ckeditor_upload")
    image = SimpleUploadedFile("foto.jpg", make_image_bytes(40, 30), content_type="image/jpeg")
    good = client.post(url, {"upload": image}, QUERY_STRING=urlencode({"CKEditorFuncNum": value}))
    assert good.status_code == 200 and good.json()["uploaded"] == 1
    junk = SimpleUploadedFile("x.jpg", b"kein bild", content_type="image/jpeg")
    bad = client.post(url, {"upload": junk}, QUERY_STRING=urlencode({"CKEditorFuncNum": value}))
    assert bad.status_code == 400 and "kein gültiges Bild" in bad.json()["error"]["message"]


def test_ckeditor_upload_from_the_file_dialog_calls_back_its_number(client, journalist):
    client.force_login(journalist)
    junk = SimpleUploadedFile("x.jpg", b"kein bild", content_type="image/jpeg")
    dialog = client.post(reverse("ckeditor_upload") + "?CKEditorFuncNum=12", {"upload": junk})
    assert "callFunction(12, " in dialog.text


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_revision_compare_with_a_malformed_number_is_404(client, journalist, section, value):
    client.force_login(journalist)
    draft = services.article_create(
        actor=journalist, headline="Mein Entwurf", lead="Vorspann", section=section
    )
    services.article_update(
        actor=journalist, article=draft, expected_version=1, changes={"lead": "Neu"}
    )
    url = reverse("admin:articles_article_revision_compare", args=[draft.pk])
    assert client.get(url, {"von": "1", "bis": "2"}).status_code == 200
    if value:  # empty means "the newest two", a real page
        assert client.get(url, {"von": value, "bis": "2"}).status_code == 404
        assert client.get(url, {"von": "1", "bis": value}).status_code == 404


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_list_pages_with_a_malformed_page_number_are_404(client, value):
    article = ArticleFactory(published=True)
    paths = ["/", article.section.get_absolute_url(), "/archiv/"]
    for path in paths:
        status = client.get(path, {"seite": value}).status_code
        assert status == (200 if value == "" else 404), (path, status)
    assert client.get("/suche/", {"q": "Test", "seite": value}).status_code == 200
