"""What a reader meets in the first hour: the count matches the list, every
confirmation link sent works, and nobody is told about a mail that was not sent."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from comments import selectors, services
from comments.models import Comment, Subscription


def _confirm_path(message) -> str:
    match = re.search(r"https?://[^\s\"<>]*/kommentare/bestaetigen/[^\s\"<>]*", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def _report_until_hidden(comment, conf):
    for n in range(conf.reports_to_hide):
        services.comment_report(comment=comment, reason="insult", ip=f"198.51.100.{n + 1}")


@pytest.mark.django_db
def test_the_count_leaves_out_a_thread_hidden_by_reader_reports(
    client, article, conf, post_comment
):
    post_comment(article, email="start@example.org", text="Der erste Beitrag der Diskussion.")
    root = Comment.objects.get()
    post_comment(article, parent=root.pk, email="a@example.org", text="Antwort eins dazu hier.")
    post_comment(article, parent=root.pk, email="b@example.org", text="Antwort zwei dazu hier.")
    post_comment(article, email="andere@example.org", text="Eine andere Diskussion hier.")
    assert selectors.comment_section(article=article).comment_count == 4

    _report_until_hidden(root, conf)
    section = selectors.comment_section(article=article)
    shown = [c.pk for thread in section.threads for c in [thread, *thread.children]]
    assert len(shown) == 1  # only the other discussion is on the page …
    assert section.comment_count == 1  # … and the count says so
    page = client.get(article.get_absolute_url()).text
    assert "1 Kommentar<" in page and "3 Kommentare" not in page


@pytest.mark.django_db
def test_an_earlier_confirmation_link_still_works_after_a_second_comment_sent_another(
    client, article, conf, post_comment
):
    post_comment(article, notify="all", text="Erster Kommentar mit Benachrichtigung.")
    post_comment(article, notify="all", text="Zweiter Kommentar mit Benachrichtigung.")
    first, _second = mail.outbox
    response = Client().post(_confirm_path(first))
    assert response.status_code == 200
    assert Subscription.objects.get().is_active


@pytest.mark.django_db
def test_a_reader_stopped_by_the_daily_mail_limit_is_told_no_mail_was_sent(
    article, conf, post_comment
):
    conf.confirmation_mails_per_address_per_day = 1
    conf.save()
    post_comment(article, notify="all", text="Erster Kommentar mit Benachrichtigung.")
    assert len(mail.outbox) == 1
    Subscription.objects.all().delete()  # e.g. the reader ended it and asks again
    response = post_comment(
        article, notify="all", text="Zweiter Kommentar, wieder mit Abo.", json=True
    )
    assert len(mail.outbox) == 1  # the limit held
    message = response.json()["message"]
    assert response.json()["ok"] is True  # the comment itself is stored
    assert response.json()["subscription"] == "limited"
    assert "keine E-Mail geschickt" in message and "heute" in message
    assert "die wir Ihnen geschickt haben" not in message


@pytest.mark.django_db
def test_an_existing_subscription_gets_no_promise_of_a_mail(article, conf, post_comment):
    from django.utils import timezone

    Subscription.objects.create(
        article=article, email="erika@example.org", kind="all", confirmed_at=timezone.now()
    )
    response = post_comment(article, notify="all", json=True)
    assert "bereits abonniert" in response.json()["message"]
    assert mail.outbox == []
