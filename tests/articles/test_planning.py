"""The planning view: a week or a day of go-lives, expiries and reviews; editors
reschedule and publish from it through the services."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.desk import planning_entries
from articles.models import Article
from core.models import AuditEntry
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def _tomorrow_at(hour):
    day = timezone.localdate() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def plan(journalist, editor, section):
    def draft(headline, in_section=section):
        return services.article_create(
            actor=journalist, headline=headline, lead="V", body="<p>T</p>", section=in_section
        )

    scheduled = draft("Wahlabend live")
    services.article_publish(
        actor=editor, article=scheduled, go_live_at=_tomorrow_at(18), expires_at=_tomorrow_at(23)
    )
    review = draft("Kommentar zur Wahl", SectionFactory(name="Meinung", slug="meinung"))
    services.article_submit(actor=journalist, article=review)
    return {"scheduled": scheduled, "review": review}


def _week(user, **filters):
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime(today.year, today.month, today.day, tzinfo=tz) - timedelta(days=1)
    return planning_entries(user=user, start=start, end=start + timedelta(days=8), **filters)


def test_the_week_shows_go_live_expiry_and_review(editor, plan):
    entries = [(e.kind, e.article.headline) for e in _week(editor)]
    assert ("go_live", "Wahlabend live") in entries
    assert ("expiry", "Wahlabend live") in entries
    assert ("review", "Kommentar zur Wahl") in entries


def test_the_calendar_filters_by_section_and_author(editor, other_journalist, plan, section):
    by_section = {e.article.headline for e in _week(editor, section_id=section.pk)}
    assert by_section == {"Wahlabend live"}
    assert _week(editor, author_id=other_journalist.author.pk) == []
    jana = {e.article.headline for e in _week(editor, author_id=plan["review"].authors.get().pk)}
    assert jana == {"Wahlabend live", "Kommentar zur Wahl"}


def test_journalists_see_only_their_own_plans(other_journalist, plan):
    assert _week(other_journalist) == []


def test_editor_can_reschedule_from_calendar(client, editor, plan):
    client.force_login(editor)
    this_week = client.get(reverse("admin:articles_article_planning"))
    assert this_week.status_code == 200
    assert "Kommentar zur Wahl" in this_week.text  # submitted today
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get(reverse("admin:articles_article_planning") + f"?tag={tomorrow}")
    assert "Wahlabend live" in page.text
    assert 'name="zeit"' in page.text
    response = client.post(
        reverse("admin:articles_article_planning_reschedule", args=[plan["scheduled"].pk]),
        {
            "datum": _tomorrow_at(20).date().isoformat(),
            "zeit": "20:00",
            "back": "/elsewhere/",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_planning")  # no open redirect
    article = Article.objects.get(pk=plan["scheduled"].pk)
    assert article.go_live_at == _tomorrow_at(20)
    entry = AuditEntry.objects.get(action="article.reschedule")
    assert entry.actor == editor and entry.data["to"] == _tomorrow_at(20).isoformat()


def test_rescheduling_into_the_past_or_past_the_expiry_is_refused(editor, plan):
    with pytest.raises(services.ValidationError):
        services.article_reschedule(
            actor=editor, article=plan["scheduled"], go_live_at=timezone.now() - timedelta(hours=1)
        )
    with pytest.raises(services.ValidationError):
        services.article_reschedule(
            actor=editor,
            article=plan["scheduled"],
            go_live_at=_tomorrow_at(23) + timedelta(hours=1),
        )


def test_editor_publishes_from_the_calendar_but_a_journalist_cannot(
    client, journalist, editor, plan
):
    url = reverse("admin:articles_article_planning_publish", args=[plan["review"].pk])
    client.force_login(journalist)
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.article_reschedule(
            actor=journalist, article=plan["scheduled"], go_live_at=_tomorrow_at(21)
        )
    client.force_login(editor)
    assert client.post(url).status_code == 302
    assert Article.objects.get(pk=plan["review"].pk).status == Article.Status.PUBLISHED


def test_the_day_view_and_the_english_planning_page_render(client, editor, plan):
    client.force_login(editor)
    day = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.get(
        reverse("admin:articles_article_planning") + f"?ansicht=tag&tag={day}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert "Wahlabend live" in page.text
    assert "Goes live" in page.text


def test_a_journalist_submits_with_a_target_time_the_planning_shows(
    client, journalist, editor, section
):
    from tests.articles.test_admin import form_data

    draft = services.article_create(
        actor=journalist,
        headline="Bericht vom Parteitag",
        lead="V",
        body="<p>T</p>",
        section=section,
    )
    client.force_login(journalist)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    assert 'name="workflow-target_at_0"' in client.get(url).text
    target = _tomorrow_at(7)
    response = client.post(
        url,
        form_data(
            draft,
            _workflow="submit",
            **{
                "workflow-target_at_0": target.strftime("%d.%m.%Y"),
                "workflow-target_at_1": "07:00",
            },
        ),
    )
    assert response.status_code == 302
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = datetime(today.year, today.month, today.day, tzinfo=tz)
    entries = planning_entries(user=editor, start=start, end=start + timedelta(days=3))
    review = [e for e in entries if e.article.pk == draft.pk]
    assert [(e.kind, e.at) for e in review] == [("review", target)]


def test_every_planning_label_speaks_in_the_tense_of_its_time(client, editor, plan, section):
    """Past go-lives "went online", past expiries "expired"; the future ones "go"/"expire"."""
    import re
    from html import unescape

    past = services.article_create(
        actor=editor, headline="Gestern erschienen", lead="V", body="<p>T</p>", section=section
    )
    services.article_publish(actor=editor, article=past)
    now = timezone.now()
    Article.objects.filter(pk=past.pk).update(
        go_live_at=now - timedelta(hours=2), expires_at=now - timedelta(minutes=30)
    )
    client.force_login(editor)
    today = timezone.localdate()
    seen = []
    for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
        page = client.get(reverse("admin:articles_article_planning") + f"?ansicht=tag&tag={day}")
        for at, label in re.findall(
            r'<time datetime="([^"]+)">[^<]*</time>\s*<span class="planning-kind">([^<]+)</span>',
            page.text,
        ):
            seen.append((datetime.fromisoformat(at) <= timezone.now(), unescape(label)))
    tense = {
        (True, "Ging online"),
        (True, "Abgelaufen"),
        (False, "Geht online"),
        (False, "Läuft ab"),
    }
    kinds = {label for _, label in seen}
    assert {"Ging online", "Abgelaufen", "Geht online", "Läuft ab"} <= kinds
    assert [entry for entry in seen if entry not in tense and entry[1] != "In Prüfung"] == []
