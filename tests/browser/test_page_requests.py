"""One page view costs the HTML plus at most one uncached request (issue #14).

The article page is cached and the same for every reader; its ad slots and the
comment form's per-reader state come from one request to ``/seitendaten/``
(``static/js/page.js``), made only when the page has slots or a comment form.

What is counted: every request the page makes while it loads and settles, except
files under ``/static/`` (hashed names, cached for a year) and ``/media/`` (images,
the same for every reader and cached). Viewability beacons, which are sent later
when the reader scrolls an ad into view or leaves the page, belong to the reading,
not to the page view, and are not counted; nor are the requests of posting a
comment (the reader's own action).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ads import counting
from ads.demo import seed_demo_ads
from comments.models import Comment, ModerationSettings
from tests.browser.checks import save_screenshot
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.data import add_discussion, make_reader_site

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def uncached_requests(page, url: str) -> list[str]:
    """Open ``url`` and return the paths of the page view's requests (see the docstring)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    origin = page.evaluate("location.origin")
    paths = [u.removeprefix(origin) for u in seen]
    return [p for p in paths if not p.startswith(("/static/", "/media/"))]


@pytest.fixture
def article():
    conf = ModerationSettings.get()
    conf.min_seconds_to_fill = 1  # the spam check wants 3 s; a test types fast
    conf.save()
    ModerationSettings.forget_cached()
    lead = make_reader_site()
    add_discussion(lead)
    seed_demo_ads(verbosity=0)
    return lead


@pytest.mark.parametrize(
    ("viewport", "language", "label", "send"),
    [
        (PHONE, "de", "ANZEIGE", "Kommentar abschicken"),
        (DESKTOP, "en", "ADVERTISEMENT", "Post comment"),
    ],
    ids=["phone-de", "desktop-en"],
)
def test_an_article_page_view_costs_the_html_and_one_request(
    new_page, article, viewport, language, label, send
):
    if language != "de":  # an English story lives under /en/, its page in English
        article.language = language
        article.save(update_fields=["language"])
    reader = new_page(viewport)
    url = article.get_absolute_url()
    requests = uncached_requests(reader, url)
    assert requests[0] == url
    assert len(requests) == 2, requests  # the page, then everything per reader in one
    data = requests[1]
    assert data.startswith("/seitendaten/?slot=")
    assert "session=1" in data

    # Every slot was filled from that one answer, under its label; served impressions
    # were counted once per slot.
    slots = reader.locator("[data-ad-slot]")
    filled = reader.locator(".ad-slot--filled")
    expect(filled.first).to_be_visible()
    assert filled.count() >= 2
    assert filled.count() + reader.locator("[data-ad-slot][hidden]").count() == slots.count()
    for index in range(filled.count()):
        expect(filled.nth(index).locator(".ad-slot__label")).to_have_text(label)
    served = sum(v for k, v in counting.pending().items() if k.kind == counting.IMPRESSION)
    assert served == filled.count()
    save_screenshot(reader, f"one-request-{viewport['width']}-{language}")

    # The comment form got its per-reader state from the same answer and works.
    form = reader.locator("#kommentar-formular")
    assert form.locator("input[name=ts]").input_value()
    assert form.locator("input[name=key]").input_value()
    form.locator("#kommentar-name").fill("Anna")
    form.locator("#kommentar-email").fill("anna.leserin@example.org")
    form.locator("#kommentar-text").fill("Wer bezahlt eigentlich das Wärmenetz?")
    reader.wait_for_timeout(1_100)
    form.get_by_role("button", name=send).click()
    expect(form.locator(".comments-status")).to_have_class("comments-status message--success")
    assert Comment.objects.filter(text="Wer bezahlt eigentlich das Wärmenetz?").exists()
    save_screenshot(reader, f"one-request-posted-{viewport['width']}-{language}")


def test_a_page_without_slots_or_comment_form_makes_no_request_at_all(new_page):
    make_reader_site()  # no ads booked: the home page has no slot, and no comments
    reader = new_page()
    assert uncached_requests(reader, "/") == ["/"]
