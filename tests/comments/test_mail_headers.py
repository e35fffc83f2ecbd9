"""Readers' mails as their mail client reads them: written by Django's real file backend,
parsed back from the raw file. A headline with umlauts, quotes and emoji keeps every
space in the subject; the one-click unsubscribe headers (RFC 2369/8058) are plain ASCII."""

from __future__ import annotations

import re

import pytest

from comments import services
from comments.models import Comment
from tests.factories import ArticleFactory
from tests.support.mailcheck import raw_headers, written_mails

pytestmark = pytest.mark.django_db

HEADLINES = [
    "Hochschule entwickelt Sensor für Wasserqualität",
    "Überschwemmungen in Süddeutschland: Bürgermeister fordern schnellere Hilfe für alle Geschädigten",
    "🎉 Jubiläum: 100 Jahre „Täglicher Bote“ – \"Zeitung\" und 'Netz'",
    "City council approves the new budget for public transport and road maintenance in 2027",
]


@pytest.mark.parametrize("headline", HEADLINES)
def test_comment_mails_keep_the_headline_and_a_plain_one_click_unsubscribe(
    client, conf, post_comment, moderator, mail_folder, headline, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, headline=headline)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/kommentare/{article.pk}/abonnieren/", {"email": "leser@example.org", "kind": "all"}
        )
    (raw, confirmation), *_ = written_mails(mail_folder)
    assert str(confirmation["Subject"]) == f"Bitte bestätigen Sie Ihr Abonnement: „{headline}“"
    link = re.search(rb"https?://\S+/kommentare/bestaetigen/\S+/", raw.replace(b"=\n", b""))
    assert link, raw
    client.post(re.sub(r"^https?://[^/]+", "", link.group(0).decode()))

    post_comment(article, name="Max", email="max@example.org", text="Ein neuer Kommentar dazu.")
    raw, notification = written_mails(mail_folder)[-1]
    assert str(notification["Subject"]) == f"Neuer Kommentar zu „{headline}“"
    headers = dict(raw_headers(raw))
    assert re.fullmatch(
        rb"<http://[^>\s]+/kommentare/abmelden/[^>\s]+/>", headers["List-Unsubscribe"]
    ), headers["List-Unsubscribe"]
    assert re.search(rb"\nList-Unsubscribe: <http://\S+>\n", raw), raw  # one line, as written
    assert headers["List-Unsubscribe-Post"] == b"List-Unsubscribe=One-Click"

    # The DSA statement of reasons names the headline in its subject, too.
    comment = Comment.objects.get(email="max@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reject(
            comment=comment, actor=moderator, reason="Nur Werbung.", ground="rules_spam"
        )
    _raw, statement = written_mails(mail_folder)[-1]
    assert statement["To"].addresses[0].addr_spec == "max@example.org"
    assert str(statement["Subject"]) == (
        f"Ihr Kommentar zu „{headline}“ wurde nicht veröffentlicht"
    )
