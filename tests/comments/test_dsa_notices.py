"""DSA notice-and-action: notices (Art. 16), statements of reasons (Art. 17) and
reviews by a second moderator (Art. 20), with their mails (locmem)."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from comments import services
from comments.models import Comment, ModerationDecision, Notice, ReviewRequest
from core.models import AuditEntry
from tests.factories import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(article, conf):
    return Comment.objects.create(
        article=article,
        name="Autor",
        email="autor@example.org",
        text="Der Bürgermeister ist ein Verbrecher.",
        status=Comment.Status.APPROVED,
    )


@pytest.fixture
def second_moderator(db):
    return staff_member("moderation2", "Moderation")


def send_notice(client, comment, prefix="", **data):
    payload = {
        "ground": "insult",
        "explanation": "Das ist eine Beleidigung des Bürgermeisters.",
        "name": "Rita Reporter",
        "email": "rita@example.org",
        "good_faith": "on",
        **data,
    }
    return client.post(f"{prefix}/kommentare/hinweis/{comment.pk}/", payload)


def review_link(message) -> str:
    return re.search(r"https?://\S+/widerspruch/\S+/", message.body).group(0)


def test_anyone_sends_a_notice_without_an_account_and_gets_a_confirmation(
    client, published, django_capture_on_commit_callbacks
):
    page = client.get(f"/kommentare/hinweis/{published.pk}/")
    assert page.status_code == 200
    assert "Der Bürgermeister ist ein Verbrecher." in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = send_notice(client, published)
    assert response.status_code == 200
    assert "Eingangsbestätigung" in response.text
    notice = Notice.objects.get()
    assert (notice.ground, notice.name, notice.email) == (
        "insult",
        "Rita Reporter",
        "rita@example.org",
    )
    assert [m.to for m in mail.outbox] == [["rita@example.org"]]
    assert "Beleidigung" in mail.outbox[0].body
    published.refresh_from_db()
    # In the Reported queue, still visible until a moderator decides.
    assert published.status == Comment.Status.APPROVED and published.reported_at is not None
    assert AuditEntry.objects.filter(action="notice.submit", object_id=str(notice.pk)).exists()


def test_every_comment_and_the_footer_lead_to_the_notice_form(client, published):
    page = client.get(published.article.get_absolute_url()).text
    assert f'href="/kommentare/hinweis/{published.pk}/"' in page
    assert 'href="/kommentare/hinweis/"' in page


def test_the_footer_form_finds_the_comment_by_its_link(
    client, published, django_capture_on_commit_callbacks
):
    link = f"https://example.org{published.article.get_absolute_url()}#kommentar-{published.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/kommentare/hinweis/",
            {
                "comment_link": link,
                "ground": "rules_off_topic",
                "explanation": "Hat nichts mit dem Artikel zu tun.",
                "name": "Rita",
                "email": "rita@example.org",
                "good_faith": "on",
            },
        )
    assert response.status_code == 200
    assert Notice.objects.get().comment == published
    wrong = client.post(
        "/kommentare/hinweis/",
        {"comment_link": "https://example.org/irgendwo/", "ground": "insult", "good_faith": "on"},
    )
    assert wrong.status_code == 400 and "finden wir nicht" in wrong.text


def test_name_and_address_may_be_left_out_only_for_child_abuse_material(client, published):
    anonymous = send_notice(client, published, name="", email="")
    assert anonymous.status_code == 400
    assert "Bitte geben Sie Ihren Namen an." in anonymous.text
    assert not Notice.objects.exists()
    exempt = send_notice(client, published, ground="child_abuse", name="", email="")
    assert exempt.status_code == 200
    assert Notice.objects.get().email == ""


def test_a_notice_needs_the_good_faith_statement_and_an_explanation(client, published):
    response = send_notice(client, published, good_faith="", explanation="")
    assert response.status_code == 400
    assert not Notice.objects.exists()


def test_an_english_reader_gets_the_form_and_the_mails_in_english(
    client, published, django_capture_on_commit_callbacks, moderator
):
    page = client.get(f"/en/kommentare/hinweis/{published.pk}/")
    assert "Report illegal content" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(client, published, prefix="/en")
    assert mail.outbox[-1].subject == "Your notice has been received"
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published, actor=moderator, reason="Nennt ihn Verbrecher.", ground="insult"
        )
    to_reporter = [m for m in mail.outbox if m.to == ["rita@example.org"]][-1]
    assert to_reporter.subject == "Decision on your notice"
    assert "removed" in to_reporter.body


def test_a_rejection_settles_the_notice_and_mails_both_sides(
    client, published, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(client, published)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published,
            actor=moderator,
            reason="Bezeichnet den Bürgermeister als Verbrecher.",
            ground="insult",
        )
    notice = Notice.objects.get()
    assert notice.outcome == Notice.Outcome.REMOVED and notice.decided_at is not None
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"rita@example.org", "autor@example.org"}
    assert "entfernt" in by_address["rita@example.org"].body
    statement = by_address["autor@example.org"].body
    # The statement of reasons: ground with its provision, facts, a person decided, review link.
    assert "Beleidigung, üble Nachrede, Verleumdung (§§ 185–187 StGB)" in statement
    assert "Bezeichnet den Bürgermeister als Verbrecher." in statement
    assert "von einem Menschen aus der Moderation" in statement
    assert "/kommentare/widerspruch/" in statement
    decision = ModerationDecision.objects.get(kind="reject")
    assert decision.actor == moderator and not decision.automated and decision.author_notified


def test_keeping_a_noticed_comment_tells_the_reporter(
    client, published, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(client, published)
        services.comment_approve(comment=published, actor=moderator)
    assert Notice.objects.get().outcome == Notice.Outcome.KEPT
    assert "nicht entfernt" in mail.outbox[-1].body
    published.refresh_from_db()
    assert published.reported_at is None


def test_a_review_reopens_the_case_for_a_second_moderator_and_reverses_it(
    client, published, moderator, second_moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published, actor=moderator, reason="Beleidigend.", ground="insult"
        )
    path = re.sub(r"^https?://[^/]+", "", review_link(mail.outbox[-1]))
    page = client.get(path)
    assert page.status_code == 200 and "Beleidigend." in page.text
    response = client.post(path, {"explanation": "Das ist eine Tatsachenbehauptung mit Beleg."})
    assert response.status_code == 200
    review = ReviewRequest.objects.get()
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING and published.reported_at is not None
    assert AuditEntry.objects.filter(action="review.request").exists()

    # The first moderator may not decide the review, neither way.
    with pytest.raises(PermissionDenied):
        services.comment_approve(comment=published, actor=moderator)
    with pytest.raises(PermissionDenied):
        services.comment_reject(comment=published, actor=moderator, reason="x", ground="insult")
    client.force_login(moderator)
    client.post(f"/admin/comments/comment/{published.pk}/moderieren/approve/")
    published.refresh_from_db()
    assert published.status == Comment.Status.PENDING

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=published, actor=second_moderator)
    review.refresh_from_db()
    assert (
        review.outcome == ReviewRequest.Outcome.REVERSED and review.decided_by == second_moderator
    )
    assert mail.outbox[-1].to == ["autor@example.org"]
    assert "aufgehoben" in mail.outbox[-1].body
    # A second request with the same link finds the case decided anew.
    assert client.post(path, {"explanation": "nochmal"}).status_code == 409


def test_a_review_upheld_by_a_second_moderator_sends_a_new_statement(
    client, published, moderator, second_moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published, actor=moderator, reason="Beleidigend.", ground="insult"
        )
    decision = ModerationDecision.objects.get(kind="reject")
    services.review_request(decision=decision, explanation="Bitte noch einmal.")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published, actor=second_moderator, reason="Bleibt beleidigend.", ground="insult"
        )
    assert ReviewRequest.objects.get().outcome == ReviewRequest.Outcome.UPHELD
    assert "Bleibt beleidigend." in mail.outbox[-1].body


def test_a_bad_review_link_is_refused(client):
    assert client.get("/kommentare/widerspruch/kaputt/").status_code == 404


def test_an_automated_rejection_carries_a_statement_saying_it_was_automated(
    article, conf, post_comment
):
    conf.banned_words = "Schwachkopf"
    conf.save()
    post_comment(article, name="Wut", email="wut@example.org", text="Du Schwachkopf, echt.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.REJECTED
    decision = ModerationDecision.objects.get(comment=comment)
    assert decision.automated and decision.kind == "reject" and decision.ground == "rules_tone"
    assert mail.outbox[-1].to == ["wut@example.org"]
    assert "automatisch, ohne Prüfung durch einen Menschen" in mail.outbox[-1].body


def test_an_automated_hold_is_recorded(article, conf, post_comment):
    conf.mode = "pre"
    conf.save()
    post_comment(article)
    decision = ModerationDecision.objects.get()
    assert (decision.kind, decision.automated) == ("hold", True)
    assert "Vorab-Moderation" in decision.facts


def test_a_notifier_complains_about_a_kept_comment_and_a_second_moderator_removes_it(
    client, published, moderator, second_moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_notice(client, published)
        services.comment_approve(comment=published, actor=moderator)
    kept = mail.outbox[-1]
    assert "nicht entfernt" in kept.body
    path = re.sub(
        r"^https?://[^/]+",
        "",
        re.search(r"https?://\S+/hinweis/widerspruch/\S+/", kept.body).group(0),
    )
    assert client.post(path, {"explanation": "Das ist eine Beleidigung."}).status_code == 200
    review = ReviewRequest.objects.get()
    assert review.notice == Notice.objects.get()
    published.refresh_from_db()
    assert published.reported_at is not None and published.status == Comment.Status.APPROVED
    with pytest.raises(PermissionDenied):
        services.comment_approve(comment=published, actor=moderator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=published, actor=second_moderator, reason="Doch beleidigend.", ground="insult"
        )
    review.refresh_from_db()
    assert review.outcome == ReviewRequest.Outcome.REVERSED
    to_notifier = [m for m in mail.outbox if m.to == ["rita@example.org"]]
    assert to_notifier and "entfernt" in to_notifier[-1].body
    assert any(m.to == ["autor@example.org"] for m in mail.outbox)  # the author's statement
