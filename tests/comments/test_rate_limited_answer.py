"""Comment limits answer the site's one 429 (core.ratelimit.rate_limited_response)."""

import pytest

from comments.models import Comment


@pytest.mark.django_db
def test_a_rate_limited_comment_script_gets_the_same_json_as_every_endpoint(
    article, conf, post_comment
):
    conf.rate_limit_per_address = 1
    conf.save()
    post_comment(article)
    response = post_comment(article, json=True, text="Noch ein Kommentar zum Artikel.")
    assert response.status_code == 429
    body = response.json()
    assert body["ok"] is False and "Bitte warten Sie" in body["message"]
    assert body["error"] == body["message"]
    assert body["retry_after"] == int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_too_many_reports_answer_the_sites_429_page(client, article, conf, post_comment):
    post_comment(article)
    comment = Comment.objects.get()
    url = f"/kommentare/melden/{comment.pk}/"
    statuses = [
        client.post(url, {"reason": "spam"}, REMOTE_ADDR="192.0.2.77").status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [200] * 30
    response = client.post(url, {"reason": "spam"}, REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Zu viele Meldungen" in response.text
    assert "Bitte versuchen Sie es in" in response.text  # the 429 page names the wait
