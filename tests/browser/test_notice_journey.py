"""DSA notice-and-action end to end in Chromium: a reader's notice (German from the
comment, English from the footer), the moderator's rejection with a statement of
reasons, the author's review request and the second moderator's decision, with
every mail as the mail client gets it."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import PHONE, admin_login
from tests.browser.data import make_reader_site
from tests.browser.mail import link_in, mails_to, text_of
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def public_comment(article):
    from comments import tokens
    from comments.models import ModerationSettings
    from comments.services import comment_post

    conf = ModerationSettings.get()
    conf.mode = "post"
    conf.save()
    return comment_post(
        article=article,
        name="Wütender Leser",
        email="autor@example.org",
        text="Der Bürgermeister ist ein Verbrecher und gehört weggesperrt.",
        form_token=tokens.form_timestamp(time.time() - 120),
    )


def test_a_notice_goes_through_to_a_review_by_a_second_moderator(new_page, mailbox):
    from comments.models import Comment, Notice, ReviewRequest

    article = make_reader_site()
    comment = public_comment(article)
    first = staff_member("moderatorin", "Moderation")
    second = staff_member("moderator2", "Moderation")

    # A reader without an account, on a phone, from the comment.
    reader = new_page(viewport=PHONE)
    reader.goto(article.get_absolute_url())
    reader.locator(f"#kommentar-{comment.pk}").get_by_role("link", name="Rechtswidrig?").click()
    expect(reader.get_by_role("heading", name="Rechtswidrigen Inhalt melden")).to_be_visible()
    reader.get_by_label("Grund").select_option("insult")
    reader.get_by_label("Begründung").fill("Nennt den Bürgermeister einen Verbrecher.")
    reader.get_by_label("Ihr Name").fill("Rita Reporter")
    reader.get_by_label("Ihre E-Mail-Adresse").fill("rita@example.org")
    save_screenshot(reader, "notice-form-375")
    assert not horizontal_overflow(reader), horizontal_overflow(reader)
    reader.get_by_role("button", name="Hinweis senden").click()
    # Without the good-faith statement the form comes back with what was typed.
    expect(reader.locator(".comments-errors").first).to_be_visible()
    expect(reader.get_by_label("Ihr Name")).to_have_value("Rita Reporter")
    reader.get_by_label(re.compile("in gutem Glauben")).check()
    reader.get_by_role("button", name="Hinweis senden").click()
    expect(reader.get_by_role("status")).to_contain_text("Ihr Hinweis ist eingegangen")
    received = mails_to(mailbox(), "rita@example.org")
    assert len(received) == 1 and "Beleidigung" in text_of(received[0])

    # The first moderator finds it in the Reported queue and rejects it with a ground.
    desk = new_page()
    admin_login(desk, first)
    desk.goto("/admin/comments/comment/?queue=reported")
    desk.get_by_role("link", name=re.compile("Der Bürgermeister ist ein Verbrecher")).first.click()
    expect(desk.get_by_role("heading", name="Hinweise und Entscheidungen (DSA)")).to_be_visible()
    expect(desk.locator(".dsa-records")).to_contain_text("Nennt den Bürgermeister")
    desk.get_by_label("Grund (Katalog)").select_option("insult")
    desk.get_by_label("Sachverhalt").fill("Bezeichnet den Bürgermeister ohne Beleg als Verbrecher.")
    desk.get_by_role("button", name="Ablehnen").click()
    expect(desk.locator(".messagelist")).to_contain_text("abgelehnt")
    save_screenshot(desk, "notice-comment-decided-1280")
    assert Notice.objects.get().outcome == Notice.Outcome.REMOVED

    decided = mails_to(mailbox(), "rita@example.org")[-1]
    assert "entfernt" in text_of(decided)
    statement = mails_to(mailbox(), "autor@example.org")[-1]
    body = text_of(statement)
    assert "§§ 185–187 StGB" in body and "von einem Menschen aus der Moderation" in body

    # The author asks for a review through the link in the statement.
    author = new_page()
    author.goto(link_in(statement, "/widerspruch/"))
    expect(
        author.get_by_role("heading", name="Widerspruch gegen eine Moderationsentscheidung")
    ).to_be_visible()
    author.get_by_label("Warum sollen wir die Entscheidung überprüfen?").fill(
        "Das ist durch ein Urteil belegt."
    )
    author.get_by_role("button", name="Überprüfung beantragen").click()
    expect(author.get_by_role("status")).to_contain_text("Ihr Widerspruch ist eingegangen")

    # The first moderator may not decide it; the second one does.
    desk.goto(f"/admin/comments/comment/{comment.pk}/change/")
    expect(desk.locator(".dsa-records .errornote")).to_contain_text("moderatorin")
    desk.get_by_role("button", name="Freigeben").click()
    expect(desk.locator(".messagelist")).to_contain_text("zweite Person")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    other = new_page()
    admin_login(other, second)
    other.goto(f"/admin/comments/comment/{comment.pk}/change/")
    other.get_by_role("button", name="Freigeben").click()
    expect(other.locator(".messagelist")).to_contain_text("freigegeben")
    assert ReviewRequest.objects.get().outcome == ReviewRequest.Outcome.REVERSED
    assert "aufgehoben" in text_of(mails_to(mailbox(), "autor@example.org")[-1])
    reader.goto(article.get_absolute_url())
    expect(reader.locator(f"#kommentar-{comment.pk}")).to_be_visible()

    # The transparency report counts the notice, both decisions and the review.
    from django.utils import timezone

    today = timezone.localdate(comment.created_at).isoformat()  # the report counts local days
    other.goto(f"/admin/comments/notice/transparenz/?start={today}&end={today}")
    report = other.locator("#content-main")
    expect(report.get_by_role("row", name="Eingegangen 1").first).to_be_visible()
    save_screenshot(other, "transparency-1280")


def test_an_english_reader_sends_a_notice_from_the_footer(new_page, mailbox):
    article = make_reader_site()
    comment = public_comment(article)
    page = new_page()
    page.goto("/en/")
    page.get_by_role("link", name="Report illegal content").click()
    expect(page.get_by_role("heading", name="Report illegal content")).to_be_visible()
    page.get_by_label("Link to the comment").fill(
        f"{page.url.split('/en/')[0]}{article.get_absolute_url()}#kommentar-{comment.pk}"
    )
    page.get_by_label("Reason:").select_option("threat")
    page.get_by_label("Explanation").fill("He says the mayor should be locked up.")
    page.get_by_label("Your name").fill("Rita Reporter")
    page.get_by_label("Your e-mail address").fill("rita@example.org")
    page.get_by_label(re.compile("bona fide")).check()
    save_screenshot(page, "notice-form-en-1280")
    page.get_by_role("button", name="Send notice").click()
    expect(page.get_by_role("status")).to_contain_text("Your notice has been received")
    mail = mails_to(mailbox(), "rita@example.org")[-1]
    assert mail["Subject"] == "Your notice has been received"
    assert "Threat" in text_of(mail)
