"""The moderation desk in Chromium: a moderator works a queue of 50 comments by
keyboard alone (German, desktop), and the desk reads in English on a phone."""

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


def waiting_comments(article, n: int) -> list:
    from comments.models import Comment

    return [
        Comment.objects.create(
            article=article,
            name=f"Leser {i}",
            email=f"leser{i}@example.org",
            text=f"Kommentar Nummer {i} wartet auf Freigabe.",
            moderation_reasons=[{"code": "first_comment", "outcome": "hold", "detail": ""}],
        )
        for i in range(n)
    ]


def test_a_moderator_works_fifty_comments_by_keyboard_alone(new_page):
    from comments.models import Comment, ModerationDecision

    article = make_reader_site()
    waiting_comments(article, 50)
    moderator = staff_member("moderatorin", "Moderation")
    page = new_page()
    admin_login(page, moderator)
    page.goto("/admin/comments/comment/desk/?queue=pending")
    rows = page.locator(".desk-row")
    expect(rows).to_have_count(50)
    expect(page.locator("[data-count=pending]")).to_have_text("50")
    save_screenshot(page, "desk-pending-1280")
    assert not horizontal_overflow(page), horizontal_overflow(page)

    # Help, zoom and moving about, all from the keyboard.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(1)).to_be_focused()
    page.keyboard.press("z")
    expect(rows.nth(0)).to_be_hidden()
    save_screenshot(page, "desk-zoom-1280")
    page.keyboard.press("z")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_be_focused()

    live = page.locator("#desk-live")
    for done in range(50):
        if done % 10 == 9:
            page.keyboard.press("r")
            page.keyboard.type("Beleidigt andere Leser.")
            page.keyboard.press("Enter")
            expect(live).to_contain_text("Abgelehnt")
        elif done % 7 == 6:
            page.keyboard.press("s")
            expect(live).to_contain_text("Spam")
        else:
            page.keyboard.press("a")
            expect(live).to_contain_text("Freigegeben")
        expect(rows).to_have_count(49 - done)
        if done < 49:
            expect(rows.first).to_be_focused()  # the next comment moved up
    expect(page.locator(".desk-empty")).to_be_visible()
    expect(page.locator("[data-count=pending]")).to_have_text("0")
    assert not Comment.objects.filter(status="pending").exists()
    assert Comment.objects.filter(status="rejected").count() == 5
    assert ModerationDecision.objects.filter(actor=moderator).count() == 50

    # Undo the latest (a rejection) with "u": it waits again.
    page.keyboard.press("u")
    expect(rows).to_have_count(1)
    assert Comment.objects.filter(status="pending").count() == 1


def test_the_desk_in_english_on_a_phone_with_new_comments_announced(new_page):
    article = make_reader_site()
    waiting_comments(article, 3)
    moderator = staff_member("moderatorin", "Moderation")
    page = new_page(viewport=PHONE)
    admin_login(page, moderator)
    page.goto("/en/admin/")
    page.goto("/admin/comments/comment/desk/?queue=pending")
    expect(page.get_by_role("link", name="Approved", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Recently moderated by me")).to_be_visible()
    save_screenshot(page, "desk-pending-en-375")
    assert not horizontal_overflow(page), horizontal_overflow(page)
    # A new comment arrives while the moderator works: the next poll (20 s) says so.
    waiting_comments(article, 1)
    expect(page.locator(".desk-new")).to_be_visible(timeout=30_000)
