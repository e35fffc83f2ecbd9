"""The desk's start page ("Meine Arbeit") and the change form's side panel."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.desk import my_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(journalist, other_journalist, editor, section):
    def draft(actor, headline):
        return services.article_create(
            actor=actor, headline=headline, lead="Vorspann", body="<p>Text</p>", section=section
        )

    mine = draft(journalist, "Mein stiller Entwurf")
    returned = draft(journalist, "Zurück an mich")
    services.article_submit(actor=journalist, article=returned)
    services.article_send_back(
        actor=editor, article=returned, reason="Quelle fehlt im zweiten Absatz"
    )
    waiting = draft(journalist, "Wartet beim CvD")
    services.article_submit(actor=journalist, article=waiting)
    others = draft(other_journalist, "Fremder Entwurf")
    services.article_submit(actor=other_journalist, article=others)
    later = draft(other_journalist, "Heute Abend online")
    now = timezone.localtime()
    go_live = min(now + timedelta(minutes=5), now.replace(hour=23, minute=59))
    services.article_publish(actor=editor, article=later, go_live_at=go_live)
    return {
        "mine": mine,
        "returned": returned,
        "waiting": waiting,
        "others": others,
        "later": later,
    }


def test_a_journalist_sees_own_drafts_and_what_came_back_with_the_reason(journalist, desk):
    work = my_work(user=journalist)
    assert [a.headline for a in work.drafts] == ["Mein stiller Entwurf"]
    assert [a.headline for a in work.sent_back] == ["Zurück an mich"]
    assert work.sent_back[0].last_note == "Quelle fehlt im zweiten Absatz"
    # Their own article waits for review; a colleague's is none of their business.
    assert [a.headline for a in work.to_review] == ["Wartet beim CvD"]
    assert work.scheduled_today == []


def test_an_editor_sees_everything_waiting_for_review_and_todays_schedule(editor, desk):
    work = my_work(user=editor)
    assert {a.headline for a in work.to_review} == {"Wartet beim CvD", "Fremder Entwurf"}
    assert work.reviews_for_me
    if desk["later"].go_live_at > timezone.now():  # not if the test ran at 23:59
        assert [a.headline for a in work.scheduled_today] == ["Heute Abend online"]


def test_the_admin_start_page_shows_my_work_for_each_desk_role(client, journalist, editor, desk):
    client.force_login(journalist)
    page = client.get(reverse("admin:index")).text
    assert "Meine Arbeit" in page
    assert "Quelle fehlt im zweiten Absatz" in page
    assert "Fremder Entwurf" not in page
    client.force_login(editor)
    page = client.get(reverse("admin:index")).text
    assert "Wartet auf meine Prüfung" in page
    assert "Fremder Entwurf" in page


def test_the_start_page_has_no_desk_for_people_without_articles(client, moderator):
    client.force_login(moderator)
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Meine Arbeit" not in page.text


def test_the_start_page_is_in_english_for_english_editors(client, editor, desk):
    client.force_login(editor)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US").text
    assert "My work" in page
    assert "Waiting for my review" in page


def test_the_side_panel_holds_status_dates_save_and_steps(client, editor, desk):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[desk["later"].pk])).text
    side = html[html.index('class="desk-side"') : html.index("</aside>")]
    assert "Geplant" in side
    assert "Veröffentlichen ab" in side
    assert 'name="_continue"' in side
    assert 'name="_workflow" value="unpublish"' in side


@pytest.mark.parametrize("status", ["draft", "review", "unpublished"])
def test_an_own_article_the_author_still_owes_work_on_is_on_her_desk_in_every_state(
    journalist, editor, section, status
):
    """Drafts, articles in review and articles taken offline are all findable from
    "Meine Arbeit" (one taken offline used to vanish from every list)."""
    article = services.article_create(
        actor=journalist, headline="Mein Stück", lead="V", body="<p>T</p>", section=section
    )
    if status in ("review", "unpublished"):
        services.article_submit(actor=journalist, article=article)
    if status == "unpublished":
        services.article_publish(actor=editor, article=article)
        services.article_unpublish(actor=editor, article=article, note="Rechtliche Prüfung")
    article.refresh_from_db()
    assert article.status == status
    work = my_work(user=journalist)
    lists = [work.drafts, work.sent_back, work.to_review, work.scheduled_today, work.withdrawn]
    assert sum(article in found for found in lists) == 1


def test_the_start_page_lists_her_withdrawn_article_with_the_reason(
    client, journalist, editor, section
):
    article = services.article_create(
        actor=journalist, headline="Offline genommen", lead="V", body="<p>T</p>", section=section
    )
    services.article_submit(actor=journalist, article=article)
    services.article_publish(actor=editor, article=article)
    services.article_unpublish(actor=editor, article=article, note="Rechtliche Prüfung")
    client.force_login(journalist)
    page = client.get(reverse("admin:index")).text
    withdrawn = page.split("Zurückgezogen</h3>", 1)[1].split("</ul>", 1)[0]
    assert "Offline genommen" in withdrawn
    assert "Rechtliche Prüfung" in withdrawn
