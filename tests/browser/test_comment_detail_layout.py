"""The comment detail page at desktop widths (issue #17 item 5): the reject form
and the DSA records sit under the comment at full width, and the read-only page
has no "Sichern" button. The error report page of the editors likewise."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import admin_login
from tests.browser.data import make_reader_site
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_comment_page_is_laid_out_at_desktop_widths(new_page, width):
    from comments import tokens
    from comments.models import ErrorReport
    from comments.services import comment_post

    article = make_reader_site()
    comment = comment_post(
        article=article,
        name="Jürgen Groß",
        email="juergen@example.org",
        text="Ein Kommentar, der auf Freigabe wartet.",
        form_token=tokens.form_timestamp(time.time() - 120),
    )
    report = ErrorReport.objects.create(article=article, text="Falsche Zahl im zweiten Absatz.")
    page = new_page(viewport={"width": width, "height": 900})
    admin_login(page, staff_member("moderatorin", "Moderation"))
    page.goto(f"/admin/comments/comment/{comment.pk}/change/")
    expect(page.get_by_role("heading", name="Ablehnen")).to_be_visible()
    expect(page.get_by_role("button", name="Sichern")).to_have_count(0)
    main = page.locator("#content-main").bounding_box()
    reject = page.locator("form.reject-form").bounding_box()
    assert reject["width"] > main["width"] * 0.8, (reject, main)
    assert reject["y"] > main["y"] + main["height"] - 1  # below the comment, not beside it
    save_screenshot(page, f"moderation-comment-{width}")
    assert not horizontal_overflow(page), horizontal_overflow(page)

    editor_page = new_page(viewport={"width": width, "height": 900})
    admin_login(editor_page, staff_member("cvd", "Chef vom Dienst"))
    editor_page.goto(f"/admin/comments/errorreport/{report.pk}/change/")
    expect(editor_page.get_by_role("button", name="Sichern")).to_have_count(0)
    box = editor_page.locator("form.error-report-correct").bounding_box()
    assert box["width"] > main["width"] * 0.8, box
    save_screenshot(editor_page, f"error-report-editor-{width}")
