"""Writing comments: modes, the automatic checks, rate limits, safe output."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import BannedAddress, BannedIP, Comment, ModerationMode
from tests.comments.conftest import form_ts
from tests.factories import ArticleFactory, UserFactory


def reasons(comment):
    return [r["code"] for r in comment.moderation_reasons]


@pytest.mark.django_db
def test_a_guest_comment_without_javascript_redirects_back_to_the_comment(
    client, article, conf, post_comment
):
    response = post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    assert response.status_code == 303
    assert response["Location"] == f"/kommentare/{article.pk}/#{comment.anchor}"
    page = client.get(response["Location"])
    assert "Ihr Kommentar ist veröffentlicht" in page.text
    assert f'id="{comment.anchor}"' in page.text
    assert "erika@example.org" not in page.text  # the address is never shown


@pytest.mark.django_db
def test_a_held_comment_says_it_waits_for_approval(client, article, conf, post_comment):
    conf.mode = ModerationMode.PRE
    conf.save()
    response = post_comment(article)
    page = client.get(response["Location"])
    assert "Ihr Kommentar wartet auf Freigabe" in page.text
    assert "Ein durchdachter Kommentar" not in page.text


@pytest.mark.django_db
def test_with_javascript_the_reader_stays_on_the_page(article, conf, post_comment):
    response = post_comment(article, json=True)
    assert response.status_code == 201
    data = response.json()
    assert data["ok"] is True
    assert data["anchor"].startswith("kommentar-")
    assert "Ein durchdachter Kommentar" in data["html"]


@pytest.mark.django_db
def test_a_public_comment_answers_with_the_new_count_headings_worded_by_the_server(
    article, conf, post_comment
):
    first = post_comment(article, json=True).json()
    assert first["counts"] == {"comments": "1 Kommentar", "feedback": "0 Inline-Feedbacks"}
    second = post_comment(
        article, json=True, text="Noch ein Gedanke dazu.", email="zweite@example.org"
    ).json()
    assert second["counts"]["comments"] == "2 Kommentare"


@pytest.mark.django_db
def test_a_held_comment_leaves_the_count_headings_alone(article, conf, post_comment):
    conf.mode = ModerationMode.PRE
    conf.save()
    assert post_comment(article, json=True).json()["counts"] == {}


@pytest.mark.django_db
def test_premoderated_articles_hold_every_comment(article, conf, post_comment):
    article.comment_mode = Article.CommentMode.PREMODERATED
    article.save()
    post_comment(article)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert reasons(comment) == ["premoderation"]


@pytest.mark.django_db
def test_the_first_comment_of_a_new_address_waits_until_approved_then_it_is_trusted(
    article, conf, post_comment, admin_user
):
    conf.mode = ModerationMode.FIRST_COMMENT
    conf.trust_after_approvals = 1
    conf.save()
    post_comment(article, text="Mein allererster Kommentar auf dieser Seite.")
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    assert reasons(first) == ["first_comment"]
    post_comment(article, text="Noch einer, bevor der erste freigegeben ist.")
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 2

    services.comment_approve(comment=first, actor=admin_user)
    post_comment(article, text="Jetzt sollte ich sofort erscheinen.")
    assert Comment.objects.get(text__startswith="Jetzt").status == Comment.Status.APPROVED


@pytest.mark.django_db
def test_closed_and_automatically_closed_articles_take_no_comments(article, conf, post_comment):
    article.comment_mode = Article.CommentMode.CLOSED
    article.save()
    assert post_comment(article).status_code == 403

    old = ArticleFactory(
        published=True,
        comment_mode=Article.CommentMode.AUTO_CLOSE,
        comments_close_after_days=3,
    )
    Article.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - timedelta(days=4))
    old.refresh_from_db()
    response = post_comment(old)
    assert response.status_code == 403
    assert "geschlossen" in response.text

    fresh = ArticleFactory(
        published=True, comment_mode=Article.CommentMode.AUTO_CLOSE, comments_close_after_days=3
    )
    assert post_comment(fresh).status_code == 303
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_too_short_and_too_long_texts_are_refused_and_kept_in_the_form(article, conf, post_comment):
    conf.max_length = 50
    conf.save()
    response = post_comment(article, text="x" * 51)
    assert response.status_code == 400
    assert "zu lang" in response.text
    assert "x" * 51 in response.text  # nothing lost
    assert "zu kurz" in post_comment(article, text="ok").text
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("setup", "data", "status", "code"),
    [
        ({}, {"website": "http://bot.example"}, Comment.Status.SPAM, "honeypot"),
        ({}, {"ts": lambda: form_ts(seconds_ago=0)}, Comment.Status.SPAM, "too_fast"),
        ({}, {"ts": "gefälscht"}, Comment.Status.SPAM, "form_token"),
        (
            {},
            {"text": "Seht http://a.example und http://b.example und www.c.example"},
            Comment.Status.PENDING,
            "too_many_links",
        ),
        (
            {"banned_words": "Schimpfwort"},
            {"text": "Du bist ein SCHIMPFWORT, wirklich."},
            Comment.Status.REJECTED,
            "banned_word",
        ),
        (
            {"suspect_words": "Unsinn"},
            {"text": "Das ist doch alles Unsinn hier."},
            Comment.Status.PENDING,
            "suspect_word",
        ),
    ],
)
def test_each_automatic_check_records_its_reason(
    article, conf, post_comment, setup, data, status, code
):
    for key, value in setup.items():
        setattr(conf, key, value)
    conf.save()
    post_comment(article, **{k: v() if callable(v) else v for k, v in data.items()})
    comment = Comment.objects.get()
    assert comment.status == status
    assert code in reasons(comment)


@pytest.mark.django_db
def test_duplicate_text_goes_to_spam(article, conf, post_comment):
    post_comment(article, text="Genau dieser Text kommt zweimal.")
    # Within services.RESUBMIT_WINDOW the same text is the same submission sent
    # again (tests/comments/test_resubmission.py); later it is a duplicate.
    Comment.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    post_comment(article, text="Genau  dieser text kommt zweimal. ")
    first, second = Comment.objects.order_by("pk")
    assert first.status == Comment.Status.APPROVED
    assert second.status == Comment.Status.SPAM
    assert "duplicate" in reasons(second)


@pytest.mark.django_db
def test_banned_addresses_and_ips_are_rejected(article, conf, post_comment):
    BannedAddress.objects.create(email="troll@example.org")
    BannedIP.objects.create(network="10.0.0.0/8")
    post_comment(article, email="Troll@Example.org")
    post_comment(article, email="jemand@example.org", meta={"REMOTE_ADDR": "10.1.2.3"})
    troll, network = Comment.objects.order_by("pk")
    assert troll.status == Comment.Status.REJECTED and "banned_address" in reasons(troll)
    assert "banned_ip" in reasons(network)


@pytest.mark.django_db
def test_rate_limits_answer_429_in_german_and_keep_what_was_posted(article, conf, post_comment):
    conf.rate_limit_per_address = 2
    conf.save()
    for n in range(2):
        assert post_comment(article, text=f"Kommentar Nummer {n} ist da.").status_code == 303
    response = post_comment(article, text="Der dritte ist zu viel.")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Bitte warten Sie" in response.text
    assert "Der dritte ist zu viel." in response.text  # the text stays in the form
    assert Comment.objects.count() == 2  # what was posted before is kept

    json_response = post_comment(article, json=True, text="Der vierte per Script.")
    assert json_response.status_code == 429
    assert "Bitte warten Sie" in json_response.json()["message"]


@pytest.mark.django_db
def test_rate_limit_per_ip(article, conf, post_comment):
    conf.rate_limit_per_ip = 1
    conf.save()
    assert post_comment(article, email="a@example.org").status_code == 303
    assert (
        post_comment(article, email="b@example.org", text="Andere Adresse, selbe IP.").status_code
        == 429
    )


XSS_NAME = '<script>alert("name")</script>'
XSS_TEXT = (
    '<img src=x onerror=alert(1)> "><svg onload=alert(2)> '
    'javascript:alert(3) http://example.org/"onmouseover="alert(4)'
)


@pytest.mark.django_db
def test_xss_payloads_in_names_and_texts_come_out_inert(client, article, conf, post_comment):
    post_comment(article, name=XSS_NAME, text=XSS_TEXT)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    html = client.get(f"/kommentare/{article.pk}/").text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<svg" not in html
    assert 'onmouseover="alert' not in html
    assert "&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;" in html
    fragment = client.get(f"/kommentare/{article.pk}/liste/").text
    assert "<script>alert" not in fragment and "<img src=x" not in fragment


@pytest.mark.django_db
def test_links_in_comments_are_clickable_with_nofollow_ugc(client, article, conf, post_comment):
    post_comment(article, text="Mehr dazu unter https://example.org/quelle bitte lesen.")
    html = client.get(f"/kommentare/{article.pk}/").text
    assert '<a href="https://example.org/quelle" rel="nofollow ugc">' in html


@pytest.mark.django_db
def test_logged_in_users_comment_without_retyping_and_staff_get_the_badge(
    client, article, conf, post_comment
):
    editor = UserFactory(username="redakteurin", is_staff=True, first_name="Rita", last_name="Red")
    editor.save()  # the factory does not save the password hash the session checks
    client.force_login(editor)
    response = post_comment(article, name="", email="", text="Antwort aus der Redaktion hier.")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.name == "Rita Red" and comment.email == "redakteurin@example.org"
    assert comment.is_staff_comment and comment.status == Comment.Status.APPROVED
    assert "Redaktion" in client.get(f"/kommentare/{article.pk}/").text


@pytest.mark.django_db
def test_replies_nest_up_to_the_configured_depth(article, conf, post_comment):
    conf.max_depth = 2
    conf.save()
    post_comment(article, text="Ebene null, der Anfang.")
    top = Comment.objects.get()
    post_comment(article, text="Ebene eins, eine Antwort.", parent=top.pk, email="b@example.org")
    reply = Comment.objects.get(depth=1)
    post_comment(article, text="Wäre Ebene zwei, zu tief.", parent=reply.pk, email="c@example.org")
    deep = Comment.objects.get(email="c@example.org")
    assert deep.depth == 1 and deep.parent_id == top.pk and deep.root_id == top.pk


@pytest.mark.django_db
def test_the_remembered_name_and_email_reach_the_form_through_the_session_endpoint(
    client, article, conf, post_comment
):
    post_comment(article, remember="on")
    data = client.get("/kommentare/sitzung/").json()
    assert data["name"] == "Erika Muster" and data["email"] == "erika@example.org"
    assert data["csrfToken"] and data["ts"]
    assert "no-cache" in client.get("/kommentare/sitzung/")["Cache-Control"]
