"""Sending the same comment form twice (retry after an error, double click, reload)
stores one comment, and the second answer tells the same truth as the first."""

import re

import pytest

from comments.models import Comment
from tests.comments.conftest import form_ts


def _key(html: str) -> str:
    match = re.search(r'name="key" value="([^"]*)"', html)
    assert match, "no key field in the form"
    return match.group(1)


@pytest.mark.django_db
def test_the_same_form_sent_twice_stores_one_comment_and_answers_success_twice(
    client, article, conf, post_comment
):
    key = _key(client.get(f"/kommentare/{article.pk}/schreiben/").text)
    assert len(key) >= 16
    first = post_comment(article, json=True, key=key)
    second = post_comment(article, json=True, key=key)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["ok"] and second.json()["ok"]
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["repeated"] is True
    assert second.json()["message"] == first.json()["message"]
    assert Comment.objects.count() == 1
    # A plain form sent again after that: the same redirect to the stored comment.
    third = post_comment(article, key=key)
    assert third.status_code == 303
    assert third["Location"].endswith(f"#kommentar-{first.json()['id']}")
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_the_same_text_from_the_same_address_is_the_same_submission(
    article, conf, post_comment
):
    post_comment(article, text="Einmal gesendet, zweimal angekommen.")
    response = post_comment(article, text="Einmal gesendet, zweimal angekommen.", json=True)
    assert response.json()["ok"] and response.json()["repeated"] is True
    assert Comment.objects.count() == 1
    assert Comment.objects.get().status == Comment.Status.APPROVED  # not flagged as spam
    # Another text is another comment.
    post_comment(article, text="Und das ist wirklich ein zweiter Beitrag.")
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_key_belonging_to_someone_else_is_not_honoured(article, conf, post_comment):
    key = "k" * 32
    post_comment(article, key=key, email="erste@example.org")
    response = post_comment(
        article, key=key, email="zweite@example.org", text="Ein ganz anderer Beitrag.", json=True
    )
    assert response.json()["repeated"] is False
    assert Comment.objects.count() == 2
    assert Comment.objects.get(email="zweite@example.org").submission_key == ""


@pytest.mark.django_db
def test_the_key_comes_per_reader_and_never_from_the_cached_article_page(client, article, conf):
    page = client.get(article.get_absolute_url()).text
    assert _key(page) == ""  # the cached page is the same for every reader
    first = client.get("/kommentare/sitzung/").json()["submissionKey"]
    second = client.get("/kommentare/sitzung/").json()["submissionKey"]
    assert len(first) >= 16 and first != second
    assert client.get(article.get_absolute_url()).text == page


@pytest.mark.django_db
def test_a_repeat_does_not_count_against_the_rate_limit(article, conf, post_comment):
    conf.rate_limit_per_address = 1
    conf.save()
    key = "r" * 32
    assert post_comment(article, key=key).status_code == 303
    assert post_comment(article, key=key, ts=form_ts()).status_code == 303
    assert Comment.objects.count() == 1
