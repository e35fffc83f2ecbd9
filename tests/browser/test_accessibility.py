"""Accessibility in a real browser: axe-core finds no serious or critical problems on
the reader pages and the comment form, and keyboard-only readers can comment."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_blocking_violations
from tests.browser.data import add_discussion, make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def article():
    article = make_reader_site()
    add_discussion(article)
    return article


def test_reader_pages_have_no_serious_accessibility_violations(page, article):
    found = {}
    for url in (
        "/",
        article.section.get_absolute_url(),
        "/suche/?q=Arbeitsplatz",
        article.get_absolute_url(),
    ):
        assert page.goto(url).status == 200, url
        violations = axe_blocking_violations(page)
        if violations:
            found[url] = violations
    assert not found, f"axe-core: {found}"


def test_comment_form_has_no_serious_accessibility_violations(page, article):
    page.goto(article.get_absolute_url())
    expect(page.locator("#kommentar-formular")).to_be_visible()
    # Opened as a reply, the way most comments are written.
    page.locator("#kommentare article.comment").first.get_by_role("link", name="Antworten").click()
    violations = axe_blocking_violations(page, context="#kommentare")
    assert not violations, f"axe-core: {violations}"


def focused(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el ? (el.id || el.getAttribute('name') || el.tagName.toLowerCase()) : ''; }"
    )


def tab_to(page, target: str, *, limit: int = 200) -> list[str]:
    """Press Tab until the element with id/name ``target`` has the focus; returns
    what got the focus on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if seen[-1] == target:
            return seen
    raise AssertionError(f"{target!r} not reachable with Tab; focus went through {seen}")


def test_keyboard_only_reader_can_reach_and_send_the_comment_form(page, article):
    from comments.models import Comment, ModerationSettings

    conf = ModerationSettings.get()
    conf.min_seconds_to_fill = 1
    conf.save()
    ModerationSettings.forget_cached()
    page.goto(article.get_absolute_url())
    expect(page.locator("#kommentar-formular")).to_be_visible()
    page.wait_for_timeout(1_100)  # the form's minimum fill time

    tab_to(page, "kommentar-name")
    page.keyboard.type("Tastatur-Tina")
    tab_to(page, "kommentar-email", limit=3)
    page.keyboard.type("tina@example.org")
    tab_to(page, "kommentar-text", limit=4)
    page.keyboard.type("Ohne Maus geschrieben.")
    on_the_way = tab_to(page, "button", limit=5)
    assert "website" not in on_the_way  # the spam trap is not in the tab order
    expect(page.locator("#kommentar-formular button[type=submit]")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#kommentar-formular .comments-status")).to_contain_text(
        "wartet auf Freigabe"
    )
    assert Comment.objects.get(email="tina@example.org").text == "Ohne Maus geschrieben."
