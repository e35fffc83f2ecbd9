"""The moderation desk on a phone: the step that asks for a rejection reason fits
the screen and looks like the rest of the admin."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import PHONE, admin_login
from tests.browser.data import make_reader_site
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_moderator_rejects_a_comment_with_a_reason_on_a_phone(new_page):
    from comments import tokens
    from comments.models import Comment
    from comments.services import comment_post

    article = make_reader_site()
    comment = comment_post(
        article=article,
        name="Jürgen Groß",
        email="juergen@example.org",
        text="Ein Kommentar, der auf Freigabe wartet.",
        form_token=tokens.form_timestamp(time.time() - 120),
    )
    moderator = staff_member("moderatorin", "Moderation")
    page = new_page(viewport=PHONE)
    admin_login(page, moderator)
    page.goto("/admin/comments/comment/")
    page.check(f"input[name=_selected_action][value='{comment.pk}']")
    page.select_option("select[name=action]", "reject")
    page.click(".actions button[type=submit]")

    reason = page.get_by_label("Sachverhalt")
    expect(reason).to_be_visible()
    save_screenshot(page, "moderation-reject-375")
    assert not horizontal_overflow(page), horizontal_overflow(page)
    # The admin's own form layout: a labelled row per field, help text tied to its field.
    expect(page.locator("#content fieldset.module.aligned .form-row")).to_have_count(2)
    expect(reason).to_have_accessible_description(
        "Pflichtfeld: was am Kommentar den Grund erfüllt. Geht mit dem Grund und einem Link "
        "zum Widerspruch an den Autor, wenn er eine Adresse angegeben hat."
    )
    page.get_by_label("Grund (Katalog)").select_option("rules_tone")

    reason.fill("Beleidigend.")
    page.click("#content input[type=submit]")
    expect(page.locator(".messagelist")).to_contain_text("abgelehnt")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED


def test_a_comments_page_with_its_reject_box_fits_a_phone(new_page):
    from comments import tokens
    from comments.services import comment_post

    article = make_reader_site()
    comment = comment_post(
        article=article,
        name="Jürgen Groß",
        email="juergen@example.org",
        text="Ein Kommentar, der auf Freigabe wartet.",
        form_token=tokens.form_timestamp(time.time() - 120),
    )
    moderator = staff_member("moderatorin", "Moderation")
    page = new_page(viewport=PHONE)
    admin_login(page, moderator)
    page.goto(f"/admin/comments/comment/{comment.pk}/change/")
    expect(page.get_by_role("heading", name="Ablehnen")).to_be_visible()
    save_screenshot(page, "moderation-comment-375")
    assert not horizontal_overflow(page), horizontal_overflow(page)
    expect(page.get_by_label("Sachverhalt")).to_have_accessible_description(
        "Pflichtfeld: was am Kommentar den Grund erfüllt. Geht mit dem Grund und einem Link "
        "zum Widerspruch an den Autor, wenn er eine Adresse angegeben hat."
    )
