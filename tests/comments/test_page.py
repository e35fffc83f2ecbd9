"""The comment section on the (cached) article page, the thread page and inline feedback."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from comments.models import Comment, FeedbackPoint, text_fingerprint
from comments.signals import comment_section_changed
from tests.factories import ArticleFactory

SECTION = "comments/partials/article_comments.html"


def make_comments(article, n, **extra):
    now = timezone.now()
    return Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                name=f"Leser {i}",
                email=f"leser{i}@example.org",
                text=f"Kommentar Nummer {i}",
                text_hash=text_fingerprint(f"Kommentar Nummer {i}"),
                status=Comment.Status.APPROVED,
                created_at=now - timezone.timedelta(minutes=i),
                approved_at=now,
                **extra,
            )
            for i in range(n)
        ]
    )


def render_section(article, user=None):
    request = RequestFactory().get(article.get_absolute_url())
    request.user = user or AnonymousUser()
    return render_to_string(SECTION, {"article": article}, request=request)


@pytest.mark.django_db
def test_the_comment_count_reads_naturally(article, conf):
    assert "0 Kommentare" in render_section(article)
    make_comments(article, 1)
    assert "1 Kommentar<" in render_section(article)
    make_comments(ArticleFactory(published=True), 1)  # other articles do not count
    Comment.objects.create(
        article=article, name="X", email="x@example.org", text="Zweiter", status="approved"
    )
    Comment.objects.create(
        article=article, name="Y", email="y@example.org", text="Wartet", status="pending"
    )
    assert "2 Kommentare" in render_section(article)


@pytest.mark.django_db
def test_the_cached_section_contains_nothing_per_reader(article, conf, django_user_model):
    make_comments(article, 2)
    html = render_section(article)
    assert "csrfmiddlewaretoken" not in html
    assert "leser0@example.org" not in html
    assert 'data-session-url="/kommentare/sitzung/"' in html
    assert "Abonnieren" in html and "Benachrichtigen bei" in html
    assert "Als Gast kommentieren" in html
    # Two different readers get byte-identical HTML.
    user = django_user_model.objects.create_user("jemand", "j@example.org", "x" * 20)
    assert render_section(article, user) == html


@pytest.mark.django_db
def test_the_comment_section_has_a_fixed_query_budget(article, conf, django_assert_num_queries):
    point = FeedbackPoint.objects.create(article=article, paragraph_index=0, question="Und Sie?")
    make_comments(article, 1)
    render_section(article)  # settings now in the cache
    with django_assert_num_queries(4):
        render_section(article)
    roots = make_comments(article, 40)
    for root in roots[:10]:
        make_comments(article, 3, parent=root, root=root, depth=1)
    make_comments(article, 5, feedback_point=point)
    with django_assert_num_queries(4):
        html = render_section(article)
    assert "Alle Kommentare anzeigen" in html


@pytest.mark.django_db
def test_the_article_page_shows_the_first_threads_then_alle_kommentare_anzeigen(
    client, article, conf
):
    conf.initial_threads = 3
    conf.threads_per_page = 5
    conf.save()
    make_comments(article, 12)
    html = render_section(article)
    assert html.count('class="comment"') == 3
    assert "Kommentar Nummer 0" in html  # newest first
    assert "Alle Kommentare anzeigen" in html

    page2 = client.get(f"/kommentare/{article.pk}/?sortierung=aelteste&seite=2").text
    assert "Kommentar Nummer 6" in page2 and "Kommentar Nummer 11" not in page2
    assert "Seite 2 von 3" in page2
    fragment = client.get(f"/kommentare/{article.pk}/liste/?sortierung=aelteste&seite=3")
    assert fragment.status_code == 200
    assert "Kommentar Nummer 0" in fragment.text and "Kommentar Nummer 5" not in fragment.text
    assert "Weitere Kommentare laden" not in fragment.text


@pytest.mark.django_db
def test_pinned_comments_come_first(article, conf):
    old = make_comments(article, 5)[-1]
    Comment.objects.filter(pk=old.pk).update(is_pinned=True)
    html = render_section(article)
    first = re.search(r'id="kommentar-(\d+)"', html).group(1)
    assert int(first) == old.pk
    assert "Empfehlung der Redaktion" in html


@pytest.mark.django_db
def test_inline_feedback_is_shown_with_the_passage_and_counted_apart(
    client, article, conf, post_comment
):
    article.body = "<p>Erster Absatz.</p><p>Der zweite Absatz mit der These.</p>"
    article.save()
    point = FeedbackPoint.objects.create(
        article=article,
        paragraph_index=1,
        passage="Der zweite Absatz mit der These.",
        question="Stimmt das?",
    )
    post_comment(article, text="Ja, das deckt sich mit meiner Erfahrung.", feedback=point.pk)
    post_comment(article, text="Ein ganz normaler Kommentar.", email="b@example.org")
    answer = Comment.objects.get(feedback_point=point)
    assert answer.status == Comment.Status.APPROVED
    html = render_section(article)
    assert "1 Kommentar<" in html
    assert "1 Inline-Feedback" in html
    assert 'data-paragraph="1"' in html
    assert "Der zweite Absatz mit der These." in html
    section = html.split('id="inline-feedbacks"')[1]
    assert "Ja, das deckt sich" in section and "Stimmt das?" in section


@pytest.mark.django_db
def test_making_a_comment_public_signals_the_cache_purge(
    article, conf, post_comment, admin_user, django_capture_on_commit_callbacks
):
    from comments import services

    seen = []

    def receiver(sender, article_id, **kwargs):
        seen.append(article_id)

    comment_section_changed.connect(receiver)
    try:
        conf.mode = "pre"
        conf.save()
        post_comment(article)
        assert seen == []  # a held comment changes nothing on the page
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_approve(comment=Comment.objects.get(), actor=admin_user)
        assert seen == [article.pk]
    finally:
        comment_section_changed.disconnect(receiver)


@pytest.mark.django_db
def test_no_javascript_readers_get_form_pages_with_a_csrf_token(client, article, conf):
    compose = client.get(f"/kommentare/{article.pk}/schreiben/")
    assert compose.status_code == 200
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', compose.text)
    assert "no-cache" in compose["Cache-Control"]
    subscribe = client.get(f"/kommentare/{article.pk}/abonnieren/")
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', subscribe.text)


@pytest.mark.django_db
def test_unpublished_articles_have_no_comment_pages(client, conf):
    draft = ArticleFactory()
    assert client.get(f"/kommentare/{draft.pk}/").status_code == 404
    assert client.get(f"/kommentare/{draft.pk}/schreiben/").status_code == 404


@pytest.mark.django_db
def test_approving_a_comment_invalidates_the_cached_article_page(
    article, conf, post_comment, admin_user, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from comments import services
    from core.pagecache import TAG_KEY

    conf.mode = "pre"
    conf.save()
    post_comment(article)
    before = cache.get(TAG_KEY.format(f"article:{article.pk}"))
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_approve(comment=Comment.objects.get(), actor=admin_user)
    assert cache.get(TAG_KEY.format(f"article:{article.pk}")) != before


@pytest.mark.django_db
def test_the_thread_fragment_may_be_cached_and_has_no_per_reader_data(client, article, conf):
    make_comments(article, 2)
    first = client.get(f"/kommentare/{article.pk}/liste/")
    second = client.get(f"/kommentare/{article.pk}/liste/")
    assert first.content == second.content
    assert second.get("X-Page-Cache") in ("HIT", "MISS", None)
    assert "csrfmiddlewaretoken" not in first.text


@pytest.mark.django_db
def test_editing_a_feedback_point_invalidates_the_article_page(
    article, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from core.pagecache import TAG_KEY

    before = cache.get(TAG_KEY.format(f"article:{article.pk}"))
    with django_capture_on_commit_callbacks(execute=True):
        FeedbackPoint.objects.create(article=article, paragraph_index=0, question="Und?")
    assert cache.get(TAG_KEY.format(f"article:{article.pk}")) != before


@pytest.mark.django_db
def test_the_article_page_shows_the_comment_section_and_the_admin_offers_feedback_points(
    client, admin_client, conf
):
    article = ArticleFactory(published=True, body="<p>Eins.</p><p>Zwei.</p>")
    make_comments(article, 2)
    html = client.get(article.get_absolute_url()).text
    assert "2 Kommentare" in html and "0 Inline-Feedbacks" in html
    assert "/static/js/comments.js" in html
    assert "leser0@example.org" not in html
    change = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert change.status_code == 200
    assert "feedback_points-TOTAL_FORMS" in change.text  # the feedback-point inline


@pytest.mark.django_db
def test_inline_feedback_heading_follows_the_page_outline(client, article, conf):
    """h3 under the article page's h2 "Kommentare", h2 under the comment page's h1
    (an h3 after the h1 skipped a level: a W3C error found by the crawl)."""
    point = FeedbackPoint.objects.create(article=article, paragraph_index=0, question="Und Sie?")
    make_comments(article, 1, feedback_point=point)
    thread = client.get(f"/kommentare/{article.pk}/").text
    assert '<h2 id="inline-feedbacks-titel"' in thread
    page = client.get(article.get_absolute_url()).text
    assert '<h3 id="inline-feedbacks-titel"' in page
