"""Readers and moderators around the comment section, in a real browser: guest
comments, double opt-in subscriptions with mails read from the mail files,
moderation in the admin, replies and inline feedback."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import Article
from comments import tokens
from comments.models import Comment, FeedbackPoint, ModerationSettings, Subscription
from comments.services import comment_post
from newsroom.roles import MODERATOR
from tests.browser.conftest import PHONE, admin_login
from tests.browser.data import make_reader_site
from tests.browser.mail import link_in, mails_to, text_of
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ANNA = "anna.leserin@example.org"
BERT = "bert.leser@example.org"


@pytest.fixture
def article():
    """The lead story of the demo site, with the comment settings as shipped except a
    shorter minimum time to fill the form (the spam check wants 3 s; a test types fast)."""
    conf = ModerationSettings.get()
    conf.min_seconds_to_fill = 1
    conf.save()
    ModerationSettings.forget_cached()
    return make_reader_site()


def write_comment(page, *, name: str, email: str, text: str, notify: str = "") -> None:
    """Fill the comment form (wherever it currently is) and send it."""
    form = page.locator("#kommentar-formular")
    form.locator("#kommentar-name").fill(name)
    form.locator("#kommentar-email").fill(email)
    form.locator("#kommentar-text").fill(text)
    if notify:
        form.locator("#kommentar-notify").select_option(label=notify)
    page.wait_for_timeout(1_100)  # the form's minimum fill time (see the fixture)
    form.get_by_role("button", name="Kommentar abschicken").click()


def post_guest_comment_from_home(page, article) -> None:
    """Journey 3's steps: home page → article → guest comment with reply notifications."""
    page.goto("/")
    page.get_by_role("link", name=article.headline).first.click()
    expect(page.locator("h1")).to_contain_text(article.headline)
    expect(page.locator("#kommentar-formular")).to_be_visible()
    write_comment(
        page,
        name="Anna",
        email=ANNA,
        text="Wer bezahlt eigentlich das Wärmenetz?",
        notify="Neue Antworten auf meine Kommentare",
    )
    expect(page.locator("#kommentar-formular .comments-status")).to_contain_text(
        "wartet auf Freigabe"
    )


def approve_in_pending_queue(page, text: str) -> None:
    page.goto("/admin/comments/comment/")
    expect(page).to_have_url(re.compile(r"queue=pending"))  # the desk opens on "Pending"
    row = page.locator("#result_list tr", has_text=text)
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", label="Freigeben")
    page.click("button[name=index]")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_reader_posts_guest_comment_that_awaits_approval(new_page, article, mailbox):
    reader = new_page()
    post_guest_comment_from_home(reader, article)

    comment = Comment.objects.get(email=ANNA)
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Anna"
    subscription = Subscription.objects.get(email=ANNA, article=article)
    assert subscription.kind == Subscription.Kind.REPLIES
    assert subscription.confirmed_at is None
    # Double opt-in: a confirmation mail, nothing else.
    [confirmation] = mails_to(mailbox(), ANNA)
    assert "/bestaetigen/" in text_of(confirmation)

    # Other readers do not see it while it waits.
    other = new_page()
    other.goto(article.get_absolute_url())
    expect(other.locator("#kommentare")).not_to_contain_text("Wärmenetz")
    # The address is never put into the page.
    assert ANNA not in reader.content()


def test_moderator_approves_reply_notifies_confirmed_subscriber_once_with_working_unsubscribe(
    new_page, article, mailbox
):
    anna = new_page()
    post_guest_comment_from_home(anna, article)
    anna.goto(link_in(mails_to(mailbox(), ANNA)[0], "/bestaetigen/"))
    anna.get_by_role("button", name="Ja, ich möchte benachrichtigt werden").click()
    expect(anna.locator("main")).to_contain_text("Abonnement ist bestätigt")

    moderator = new_page()
    admin_login(moderator, staff_member("mona", MODERATOR))
    approve_in_pending_queue(moderator, "Wärmenetz")

    bert = new_page()
    bert.goto(article.get_absolute_url())
    first = bert.locator("article.comment", has_text="Wärmenetz")
    expect(first).to_be_visible()
    first.get_by_role("link", name="Antworten").click()
    write_comment(bert, name="Bert", email=BERT, text="Die Stadtwerke, laut Vorlage.")
    expect(bert.locator("#kommentar-formular .comments-status")).to_contain_text(
        "wartet auf Freigabe"
    )
    approve_in_pending_queue(moderator, "Stadtwerke")
    reply = Comment.objects.get(email=BERT)
    assert reply.status == Comment.Status.APPROVED
    assert reply.parent.email == ANNA

    to_anna = mails_to(mailbox(), ANNA)
    notifications = [m for m in to_anna if "/bestaetigen/" not in text_of(m)]
    assert len(notifications) == 1, [m["Subject"] for m in to_anna]
    [notification] = notifications
    assert "Die Stadtwerke, laut Vorlage." in text_of(notification)
    assert notification["List-Unsubscribe"]
    assert not mails_to(mailbox(), BERT)  # Bert asked for nothing

    anna.goto(link_in(notification, "/abmelden/"))
    anna.get_by_role("button", name="Keine E-Mails mehr zu diesen Kommentaren").click()
    expect(anna.locator("main")).to_contain_text("Sie sind abgemeldet")
    assert not Subscription.objects.get(email=ANNA, article=article).is_active


def test_reader_subscribes_only_confirms_by_mail_and_later_unsubscribes(new_page, article, mailbox):
    reader = new_page()
    reader.goto(article.get_absolute_url())
    form = reader.locator("form.subscribe-form")
    form.get_by_label("E-Mail").fill(ANNA)
    form.get_by_role("button", name="Abonnieren").click()
    expect(form.locator(".comments-status")).to_contain_text("E-Mail")
    subscription = Subscription.objects.get(email=ANNA, article=article)
    assert subscription.kind == Subscription.Kind.ALL
    assert not subscription.is_active
    assert Comment.objects.count() == 0  # subscribing is not commenting

    [confirmation] = mails_to(mailbox(), ANNA)
    reader.goto(link_in(confirmation, "/bestaetigen/"))
    reader.get_by_role("button", name="Ja, ich möchte benachrichtigt werden").click()
    expect(reader.locator("main")).to_contain_text("Abonnement ist bestätigt")
    subscription.refresh_from_db()
    assert subscription.is_active

    # A new public comment: one notification.
    editor = staff_member("eddi", "Chef vom Dienst")
    comment_post(article=article, user=editor, text="Die Redaktion ergänzt: Baubeginn ist 2027.")
    [notification] = mails_to(mailbox(), ANNA)[1:]
    assert "Baubeginn ist 2027" in text_of(notification)

    # Later the reader unsubscribes with the link in that mail: no more mail.
    reader.goto(link_in(notification, "/abmelden/"))
    reader.get_by_role("button", name="Keine E-Mails mehr zu diesen Kommentaren").click()
    expect(reader.locator("main")).to_contain_text("Sie sind abgemeldet")
    comment_post(article=article, user=editor, text="Nachtrag: Die Anhörung ist im März.")
    assert len(mails_to(mailbox(), ANNA)) == 2


def test_reader_answers_an_inline_feedback_question_at_its_passage(new_page, article):
    point = FeedbackPoint.objects.create(
        article=article,
        paragraph_index=0,
        passage="Die Landesregierung hat am Dienstag ein neues Rechenzentrum in Hessen vorgestellt.",
        question="Würden Sie Abwärme aus einem Rechenzentrum nutzen?",
    )
    reader = new_page()
    reader.goto(article.get_absolute_url())
    first_paragraph = reader.locator(".article__body p").first
    marker = reader.locator("a.feedback-marker")
    expect(marker).to_contain_text(point.question)
    # The marker sits right after the passage it asks about.
    assert marker.evaluate("m => m.previousElementSibling.textContent") == (
        first_paragraph.text_content()
    )
    marker.click()
    spot = reader.locator(f"#{point.anchor}")
    expect(spot.locator("blockquote")).to_contain_text("neues Rechenzentrum in Hessen")
    spot.get_by_role("link", name="Feedback geben").click()
    write_comment(reader, name="Carla", email="carla@example.org", text="Ja, sofort.")
    expect(reader.locator("#kommentar-formular .comments-status")).to_contain_text(
        "wartet auf Freigabe"
    )
    answer = Comment.objects.get(email="carla@example.org")
    assert answer.feedback_point == point
    assert answer.parent is None


def test_a_comment_whose_answer_was_lost_is_stored_once_when_sent_again(new_page, article):
    """The script keeps the form's idempotency key until the server accepted the
    comment: the reader sees an error, clicks again, and gets one comment."""
    reader = new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator("#kommentar-formular")).to_be_visible()
    answers = {"lost": 0}

    def lose_the_first_answer(route):
        if answers["lost"] == 0:
            answers["lost"] += 1
            route.fetch()  # the server stores the comment …
            route.abort()  # … and its answer never reaches the browser
        else:
            route.continue_()

    reader.route(re.compile(r".*/kommentare/\d+/schreiben/$"), lose_the_first_answer)
    write_comment(reader, name="Clara", email="clara@example.org", text="Einmal, bitte nur einmal.")
    status = reader.locator("#kommentar-formular .comments-status")
    expect(status).to_contain_text("nicht geklappt")
    assert Comment.objects.filter(email="clara@example.org").count() == 1

    reader.wait_for_timeout(1_100)
    reader.locator("#kommentar-formular").get_by_role("button", name="Kommentar abschicken").click()
    expect(status).not_to_contain_text("nicht geklappt")
    expect(status).to_contain_text("Danke")
    comment = Comment.objects.get(email="clara@example.org")
    assert len(comment.submission_key) >= 16  # the key came from the script, not the page
    # The next comment gets a fresh key.
    reader.unroute_all()
    with reader.expect_response(re.compile(r".*/kommentare/\d+/schreiben/$")) as answer:
        write_comment(reader, name="Clara", email="clara@example.org", text="Zweiter Gedanke.")
    assert answer.value.json()["repeated"] is False
    second = Comment.objects.exclude(pk=comment.pk).get(email="clara@example.org")
    assert second.submission_key not in ("", comment.submission_key)


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [("de", "1 Kommentar", "2 Kommentare"), ("en", "1 Comment", "2 Comments")],
)
def test_a_comment_public_at_once_is_counted_in_the_heading_without_reload(
    new_page, article, language, before, after
):
    """Post-moderation: the new comment appears at once, and the heading above it counts
    it in the server's wording (singular and plural in the page's language)."""
    conf = ModerationSettings.get()
    conf.mode = "post"
    conf.save()
    ModerationSettings.forget_cached()
    comment_post(
        article=article,
        name="Anna",
        email=ANNA,
        text="Wer bezahlt eigentlich das Wärmenetz?",
        form_token=tokens.form_timestamp(time.time() - 120),
    )
    # An article is shown under its own language's prefix (/en/ for English).
    Article.objects.filter(pk=article.pk).update(language=language)
    article.language = language
    reader = new_page(viewport=PHONE)
    reader.goto(article.get_absolute_url())
    heading = reader.locator("#kommentare-titel")
    expect(heading).to_have_text(before)

    form = reader.locator("#kommentar-formular")
    form.locator("#kommentar-name").fill("Bert")
    form.locator("#kommentar-email").fill(BERT)
    form.locator("#kommentar-text").fill("Die Stadtwerke, laut Vorlage.")
    reader.wait_for_timeout(1_100)  # the form's minimum fill time (see the fixture)
    form.locator("button[type=submit]").click()
    expect(reader.locator("article.comment", has_text="Stadtwerke")).to_be_visible()
    expect(heading).to_have_text(after)
    assert Comment.objects.get(email=BERT).status == Comment.Status.APPROVED


def test_a_comment_appears_where_the_page_shows_it_after_a_reload(new_page, article):
    """The comment a reader posts (and her reply) is inserted where the server puts it:
    newest first below the threads the editors pinned, a reply under its comment. The
    order of every comment on the page right after posting equals the order after a
    reload (a new comment once jumped above the "Empfehlung der Redaktion")."""
    conf = ModerationSettings.get()
    conf.mode = "post"
    conf.save()
    ModerationSettings.forget_cached()
    old = tokens.form_timestamp(time.time() - 120)
    for i, text in enumerate(["Erster Beitrag.", "Empfohlener Beitrag.", "Dritter Beitrag."]):
        comment_post(
            article=article, name=f"Leser {i}", email=f"leser{i}@example.org", text=text,
            form_token=old,
        )  # fmt: skip
    Comment.objects.filter(text="Empfohlener Beitrag.").update(is_pinned=True)
    reader = new_page()
    reader.goto(article.get_absolute_url())
    ids = "els => els.map(e => e.id)"
    write_comment(reader, name="Anna", email=ANNA, text="Ganz neuer Beitrag.")
    expect(reader.locator("article.comment", has_text="Ganz neuer Beitrag")).to_be_visible()
    threads = reader.locator("[data-threads] > article.comment")
    shown = threads.evaluate_all(ids)
    assert shown.index(Comment.objects.get(text="Ganz neuer Beitrag.").anchor) == 1
    reader.locator("article.comment", has_text="Dritter Beitrag").get_by_role(
        "link", name="Antworten"
    ).click()
    write_comment(reader, name="Bert", email=BERT, text="Eine Antwort.")
    expect(reader.locator(".comment-replies p", has_text="Eine Antwort.")).to_be_visible()
    everything = reader.locator("article.comment").evaluate_all(ids)
    reader.reload()
    assert reader.locator("article.comment").evaluate_all(ids) == everything
