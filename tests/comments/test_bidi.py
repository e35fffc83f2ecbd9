"""Bidirectional control characters cannot spoof what readers and moderators see:
they are stripped from names on input, and reader text is isolated on output."""

import pytest
from django.core import mail
from django.utils import timezone

from comments.models import Comment, Subscription

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "Admin" + RLO + "gnp.exe" displays "Admin" + "exe.png"
SPOOF = f"Admin{RLO}gnp.exe"


@pytest.mark.django_db
def test_bidi_controls_are_stripped_from_a_readers_name(article, conf, post_comment):
    post_comment(article, name=f"\u2067{SPOOF}\u200f\u2069")
    assert Comment.objects.get().name == "Admingnp.exe"


@pytest.mark.django_db
def test_names_and_texts_are_isolated_on_the_article_page(client, article, conf, post_comment):
    post_comment(article, name="محمد", text=f"Ein Text mit {RLO}Überschreibung am Ende.")
    html = client.get(article.get_absolute_url()).text
    assert '<strong class="comment-author"><bdi>محمد</bdi></strong>' in html
    assert '<div class="comment-text" dir="auto">' in html
    thread = client.get(f"/kommentare/{article.pk}/").text
    assert "<bdi>محمد</bdi>" in thread


@pytest.mark.django_db
def test_names_are_isolated_in_notification_mails(article, conf, post_comment):
    Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )
    post_comment(article, name="שרה", text="Ein Kommentar, der eine Mail auslöst.")
    (message,) = mail.outbox
    assert "\u2068שרה\u2069 hat den Artikel" in message.body
    assert "<bdi>שרה</bdi> hat den Artikel" in message.alternatives[0].content
    assert '<blockquote dir="auto"' in message.alternatives[0].content


@pytest.mark.django_db
def test_names_are_isolated_on_the_moderation_desk(admin_client, article, conf, post_comment):
    post_comment(article, name="محمد", text="Ein Kommentar für den Moderationstisch.")
    Comment.objects.update(status=Comment.Status.PENDING)  # in the desk's default queue
    comment = Comment.objects.get()
    listing = admin_client.get("/admin/comments/comment/", follow=True).text
    assert "<bdi>محمد</bdi>" in listing
    assert str(comment).startswith("\u2068محمد\u2069: ")
