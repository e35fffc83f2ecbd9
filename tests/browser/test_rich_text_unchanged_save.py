"""Saving a rich-text admin form unchanged, in a real browser with CKEditor loaded.

CKEditor 4 sends the body back in its own serialisation (entities for umlauts, CRLF
and blank lines between blocks), not the stored text. Saving the article or a static
page without an edit must still change nothing (version, revision, audit entry,
stored bytes); a real edit through the editor is saved.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from articles import services
from articles.models import ArticleRevision
from core.models import AuditEntry
from newsroom.roles import EDITOR
from pages.models import Page
from pages.services import page_save
from tests.browser.conftest import admin_login
from tests.browser.people import staff_member
from tests.factories import SectionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = (
    "<h2>Größere Änderungen für Straßen</h2>"
    "<p>Die Bürgerinnen und Bürger in Gießen &amp; Wetzlar sprachen – „deutlich“ – über "
    '<a href="https://example.org/müll">die Müllgebühren</a> und <strong>Grün</strong>.</p>'
    "<ul><li>Erstens: Öffnungszeiten</li><li>Zweitens: Ärger</li></ul>"
    "<blockquote><p>Das ist übel, sagt die Bürgermeisterin.</p></blockquote>"
    "<p>Zum Schluss ein Satz mit Anführungszeichen: „so“ &lt;nicht&gt; anders.</p>"
)


def _ready_editor(page):
    page.wait_for_function(
        "() => window.CKEDITOR && CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready'"
    )
    return page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")


def _save_and_capture(page, button: str = "input[name=_save]") -> str:
    """Click a save button; return the body CKEditor posted."""
    with page.expect_request(lambda r: r.method == "POST" and "/change/" in r.url) as posted:
        page.click(button)
    expect(page.locator(".messagelist .success")).to_be_visible()
    form = posted.value.post_data or ""
    return parse_qs(form).get("body", [""])[0]


def test_saving_an_article_unchanged_in_the_browser_changes_nothing_and_an_edit_is_saved(page):
    editor = staff_member("chefin", EDITOR)
    article = services.article_create(
        actor=editor,
        headline="Müll in Gießen",
        lead="Die Gebühren steigen.",
        section=SectionFactory(),
        body=BODY,
    )
    article.refresh_from_db()
    stored, version = article.body, article.version
    revisions, audits = ArticleRevision.objects.count(), AuditEntry.objects.count()

    admin_login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    _ready_editor(page)
    for _round in range(2):  # twice: the second save would meet a stale version
        sent = _save_and_capture(page, "input[name=_continue]")
        article.refresh_from_db()
        assert sent != stored, "CKEditor sent the stored text itself: this test proves nothing"
        assert article.version == version
        assert article.body.encode() == stored.encode()
        assert ArticleRevision.objects.count() == revisions
        assert AuditEntry.objects.count() == audits
        _ready_editor(page)

    # A one-word edit through the editor is saved, as a new version.
    editor_body = _ready_editor(page)
    editor_body.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ende")
    _save_and_capture(page, "input[name=_continue]")
    article.refresh_from_db()
    assert article.version == version + 1
    assert "anders. Ende</p>" in article.body
    assert ArticleRevision.objects.count() == revisions + 1
    assert AuditEntry.objects.filter(action="article.update").count() == 1


def test_saving_a_static_page_unchanged_in_the_browser_changes_nothing_and_an_edit_is_saved(
    page,
):
    editor = staff_member("chefin", EDITOR)
    impressum = Page.objects.get(slug="impressum")  # from the pages' data migration
    impressum.body = BODY
    page_save(actor=editor, page=impressum)
    impressum.refresh_from_db()
    stored, changed_at = impressum.body, impressum.updated_at
    audits = AuditEntry.objects.count()
    updates = AuditEntry.objects.filter(action="page.update").count()

    admin_login(page, editor)
    page.goto(f"/admin/pages/page/{impressum.pk}/change/")
    _ready_editor(page)
    sent = _save_and_capture(page, "input[name=_continue]")
    impressum.refresh_from_db()
    assert sent != stored, "CKEditor sent the stored text itself: this test proves nothing"
    assert impressum.body.encode() == stored.encode()
    assert impressum.updated_at == changed_at
    assert AuditEntry.objects.count() == audits

    editor_body = _ready_editor(page)
    editor_body.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Ende")
    _save_and_capture(page, "input[name=_continue]")
    impressum.refresh_from_db()
    assert "anders. Ende</p>" in impressum.body
    assert AuditEntry.objects.filter(action="page.update").count() == updates + 1
