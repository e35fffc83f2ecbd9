"""Errors of the comment form land on their field, in every language.

The services raise ``ValidationError`` with a code; the form routes it by that code
(never by the German wording), so /en/ shows "too short" under the text field too.
"""

from __future__ import annotations

import pytest

from comments.models import Comment, FeedbackPoint
from tests.comments.conftest import form_ts

pytestmark = pytest.mark.django_db


def _post(client, article, *, prefix="", json=True, **data):
    payload = {
        "name": "Erika Muster",
        "email": "erika@example.org",
        "text": "Ein durchdachter Kommentar zum Artikel.",
        "ts": form_ts(),
        **data,
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"{prefix}/kommentare/{article.pk}/schreiben/", payload, headers=headers)


def test_a_too_short_comment_in_english_is_an_error_on_the_text_field(client, article, conf):
    conf.min_length = 10
    conf.save()
    response = _post(client, article, prefix="/en", text="short")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors == {"text": ["The comment is too short (at least 10 characters)."]}
    assert not Comment.objects.exists()


def test_a_too_long_comment_in_english_is_shown_under_the_text_on_the_form_page(
    client, article, conf
):
    conf.max_length = 20
    conf.save()
    response = _post(client, article, prefix="/en", json=False, text="x" * 21)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["text"] == ["The comment is too long (at most 20 characters, yours has 21)."]
    assert not form.non_field_errors()
    assert "x" * 21 in response.text  # nothing the reader typed is lost


def test_a_reply_to_a_comment_that_is_no_longer_public_is_an_error_on_the_parent(
    client, article, conf
):
    gone = Comment.objects.create(
        article=article, name="A", email="a@example.org", text="Weg.", status="spam"
    )
    response = _post(client, article, prefix="/en", parent=str(gone.pk))
    assert response.status_code == 400
    assert response.json()["errors"] == {"parent": ["This comment cannot be replied to."]}
    page = _post(client, article, prefix="/en", json=False, parent=str(gone.pk))
    assert "This comment cannot be replied to." in page.text
    assert Comment.objects.count() == 1  # no top-level comment made of the reply


def test_feedback_on_a_closed_feedback_point_is_an_error_on_the_feedback_field(
    client, article, conf
):
    point = FeedbackPoint.objects.create(
        article=article,
        paragraph_index=0,
        passage="Absatz",
        question="Stimmt das?",
        is_active=False,
    )
    response = _post(client, article, prefix="/en", feedback=str(point.pk))
    assert response.status_code == 400
    assert response.json()["errors"] == {"feedback": ["This feedback point no longer exists."]}


def test_a_reply_and_a_feedback_are_resolved_by_the_form_and_stored(client, article, conf):
    top = Comment.objects.create(
        article=article, name="A", email="a@example.org", text="Oben.", status="approved"
    )
    point = FeedbackPoint.objects.create(
        article=article, paragraph_index=0, passage="Absatz", question="Stimmt das?"
    )
    assert _post(client, article, parent=str(top.pk)).status_code == 201
    assert (
        _post(
            client, article, feedback=str(point.pk), text="Ein zweiter, anderer Text."
        ).status_code
        == 201
    )
    reply = Comment.objects.get(parent=top)
    assert reply.depth == 1 and reply.root_id == top.pk
    assert Comment.objects.filter(feedback_point=point, parent=None).count() == 1


def test_a_missing_name_in_english_is_an_error_on_the_name_field(client, article, conf):
    response = _post(client, article, prefix="/en", name="  ")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
