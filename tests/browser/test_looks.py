"""How the reader pages look at phone and desktop width: screenshots for people to
look at (var/screenshots/, overwritten on every run) and no sideways scrolling on
phones."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.checks import axe_blocking_violations, horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.data import add_discussion, make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize("width", WIDTHS)
def test_home_article_section_and_comments_fit_the_screen(new_page, width):
    article = make_reader_site()
    add_discussion(article)
    page = new_page(viewport=WIDTHS[width])
    pixels = WIDTHS[width]["width"]
    pages = {
        "home": "/",
        "section": article.section.get_absolute_url(),
        "search": "/suche/?q=Rechenzentren",
        "article": article.get_absolute_url(),
    }
    overflowing = {}
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        if name == "article":
            # The script reveals the comment forms once the reader's session state is in.
            expect(page.locator("#kommentar-formular")).to_be_visible()
            expect(page.locator("#kommentare article.comment")).to_have_count(3)
            # The spam trap ("Website (bitte leer lassen)") is out of every reader's sight.
            trap = page.locator("#kommentar-website").bounding_box()
            assert trap["x"] + trap["width"] <= 0, trap
        save_screenshot(page, f"{name}-{pixels}")
        if width == "phone":
            overflow = horizontal_overflow(page)
            if overflow:
                overflowing[url] = overflow
    save_screenshot(page, f"comments-{pixels}", locator=page.locator("#kommentare"))
    assert not overflowing, f"pages scroll sideways at {pixels} px: {overflowing}"


def add_busy_discussion(article) -> None:
    """Everything the comment section can show: a pinned comment, replies three deep,
    an inline-feedback question with an answer, and more threads than fit at first."""
    from django.contrib.auth.models import User

    from comments import tokens
    from comments.models import Comment, FeedbackPoint, ModerationSettings
    from comments.services import comment_approve, comment_pin, comment_post

    add_discussion(article)
    settings_row = ModerationSettings.get()
    settings_row.initial_threads = 3
    settings_row.save()
    moderator = User.objects.get(username="moderation")
    long_ago = tokens.form_timestamp(time.time() - 120)
    readers = iter(range(100))

    def post(text, **kwargs):
        number = next(readers)
        comment = comment_post(
            article=article, name=f"Leser {number}", email=f"leser{number}@example.org", text=text,
            form_token=long_ago, **kwargs,
        )  # fmt: skip
        return comment_approve(comment=comment, actor=moderator)

    first = Comment.objects.get(name="Hannelore K.")
    comment_pin(comment=first, actor=moderator, pinned=True)
    deepest = Comment.objects.get(parent=first)
    for depth in range(2):
        deepest = post(
            f"Antwort auf Ebene {depth + 3}: Die Leitungen liegen schon.", parent=deepest
        )
    for number in range(3):
        post(f"Weitere Meinung Nummer {number + 1} zur Abwärme.")
    point = FeedbackPoint.objects.create(
        article=article,
        paragraph_index=0,
        passage=article.body.split("</p>")[0].removeprefix("<p>"),
        question="Würden Sie Abwärme aus einem Rechenzentrum nutzen?",
    )
    post("Ja, wenn der Preis stimmt.", feedback_point=point)


@pytest.mark.parametrize("pixels", [320, 375, 1280])
def test_a_busy_comment_section_fits_the_screen_and_stays_accessible(new_page, pixels):
    article = make_reader_site()
    add_busy_discussion(article)
    page = new_page(viewport={"width": pixels, "height": 900})
    page.goto(article.get_absolute_url())
    expect(page.locator("#kommentar-formular")).to_be_visible()
    expect(page.locator("#kommentare .comment--pinned")).to_have_count(1)
    expect(page.locator("a.feedback-marker")).to_have_count(1)
    expect(page.locator(".comments-more a")).to_contain_text("Alle Kommentare anzeigen")
    # A comment that is too short: the error shows in the form.
    form = page.locator("#kommentar-formular")
    form.get_by_label("Name", exact=True).fill("Kurz")
    form.get_by_role("textbox", name="E-Mail").fill("kurz@example.org")
    form.get_by_label("Ihr Kommentar").fill("x")
    form.get_by_role("button", name="Kommentar abschicken").click()
    error = form.locator(".comments-status.message--error")
    expect(error).to_contain_text("zu kurz")
    assert error.text_content().count("zu kurz") == 1  # said once, not twice
    save_screenshot(page, f"comments-busy-{pixels}", locator=page.locator("#kommentare"))
    save_screenshot(page, f"article-feedback-{pixels}", locator=page.locator(".article__body"))
    assert not horizontal_overflow(page), horizontal_overflow(page)
    assert not axe_blocking_violations(page, context="#kommentare")
    # Answering a comment: the reply notice, then the thanks/pending message.
    page.locator(".comment--pinned .comment-actions").first.get_by_role(
        "link", name="Antworten"
    ).click()
    expect(form.locator("[data-reply-info]")).to_be_visible()
    form.get_by_label("Ihr Kommentar").fill("Eine sachliche Antwort mit genug Text.")
    form.get_by_role("button", name="Kommentar abschicken").click()
    expect(form.locator(".comments-status.message--success")).to_be_visible()
    save_screenshot(page, f"comments-answered-{pixels}", locator=page.locator("#kommentare"))
    assert not horizontal_overflow(page), horizontal_overflow(page)
    assert not axe_blocking_violations(page, context="#kommentare")


def test_the_marked_section_is_in_sight_on_a_phone(new_page):
    """The section navigation scrolls sideways on a phone: a section far to the right
    is brought into sight on its own front, marked."""
    from tests.factories import SectionFactory

    article = make_reader_site()
    for number in range(8):
        SectionFactory(name=f"Langes Ressort {number}", slug=f"ressort-{number}", order=10 + number)
    page = new_page(viewport=PHONE)
    assert page.goto("/ressort-7/").status == 200
    page.wait_for_load_state("load")
    marked = page.locator(".section-nav a[aria-current='page']")
    expect(marked).to_have_text("Langes Ressort 7")
    box = marked.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    save_screenshot(page, "section-nav-phone-far-right", locator=page.locator(".site-header"))
    # The first section's front leaves the strip at its start.
    first = article.section.get_absolute_url()
    page.goto(first)
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelector('.section-nav ul').scrollLeft") == 0
    save_screenshot(page, "section-nav-phone-first", locator=page.locator(".site-header"))
