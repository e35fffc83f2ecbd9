"""Bulk actions on the article change list: ask first, then each article through the
services (permission per article, audit entry, purge on commit), then a report."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.signals import article_changed
from core.models import AuditEntry
from tests.factories import ArticleFactory, SectionFactory

CHANGELIST = "admin:articles_article_changelist"


def run_action(client, action, articles, **values):
    """Pick ``action`` for ``articles`` on the change list, then confirm with ``values``
    (on-commit callbacks, the purges among them, run as after a real commit)."""
    url = reverse(CHANGELIST)
    selected = [str(article.pk) for article in articles]
    confirm_page = client.post(url, {"action": action, "_selected_action": selected})
    assert confirm_page.status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            url, {"action": action, "_selected_action": selected, "bulk_confirm": "1", **values}
        )


def audit_actions(article):
    return list(
        AuditEntry.objects.filter(object_id=str(article.pk)).values_list("action", flat=True)
    )


@pytest.fixture
def changed_ids():
    """Ids of articles whose ``article_changed`` (the purge trigger) was sent on commit."""
    ids = []

    def receiver(sender, *, article_id, **kwargs):
        ids.append(article_id)

    article_changed.connect(receiver, dispatch_uid="test-bulk-changed")
    yield ids
    article_changed.disconnect(dispatch_uid="test-bulk-changed")


@pytest.mark.django_db
def test_bulk_action_asks_first_and_changes_nothing_until_confirmed(client, editor, section):
    article = ArticleFactory(section=section, published=True, headline="Online bleibt")
    client.force_login(editor)
    page = client.post(
        reverse(CHANGELIST), {"action": "unpublish_selected", "_selected_action": [article.pk]}
    )
    assert "Online bleibt" in page.text
    assert 'name="bulk_confirm"' in page.text
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_editor_schedules_many_drafts_and_sees_which_were_refused(client, editor, changed_ids):
    section = SectionFactory()
    drafts = [ArticleFactory(section=section, headline=f"Entwurf {n}") for n in range(2)]
    live = ArticleFactory(section=section, published=True, headline="Schon online")
    client.force_login(editor)
    when = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    response = run_action(
        client,
        "schedule_selected",
        [*drafts, live],
        go_live_at_0=when.strftime("%d.%m.%Y"),
        go_live_at_1=when.strftime("%H:%M"),
    )
    assert response.status_code == 200
    for draft in drafts:
        draft.refresh_from_db()
        assert draft.status == Article.Status.PUBLISHED
        assert draft.go_live_at == when
        assert "article.publish" in audit_actions(draft)
    assert Article.objects.scheduled().count() == 2
    live.refresh_from_db()
    assert live.go_live_at < timezone.now()
    refused = response.text.split('class="bulk-refused"')[1]
    assert "Schon online" in refused and "erst zurückziehen" in refused
    assert sorted(changed_ids) == sorted(d.pk for d in drafts)


@pytest.mark.django_db
def test_schedule_in_the_past_is_refused_on_the_confirmation_page(client, editor, section):
    draft = ArticleFactory(section=section)
    client.force_login(editor)
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = run_action(
        client,
        "schedule_selected",
        [draft],
        go_live_at_0=past.strftime("%d.%m.%Y"),
        go_live_at_1=past.strftime("%H:%M"),
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert "in der Zukunft" in response.text


@pytest.mark.django_db
def test_editor_unpublishes_with_a_note_and_drafts_are_reported_refused(
    client, editor, changed_ids
):
    section = SectionFactory()
    live = ArticleFactory(section=section, published=True, headline="Online A")
    draft = ArticleFactory(section=section, headline="Entwurf B")
    client.force_login(editor)
    response = run_action(client, "unpublish_selected", [live, draft], note="Rechtliche Prüfung")
    live.refresh_from_db()
    draft.refresh_from_db()
    assert live.status == Article.Status.UNPUBLISHED
    assert draft.status == Article.Status.DRAFT
    entry = AuditEntry.objects.get(object_id=str(live.pk), action="article.unpublish")
    assert entry.note == "Rechtliche Prüfung" and entry.actor == editor
    assert "Entwurf B" in response.text.split('class="bulk-refused"')[1]
    assert changed_ids == [live.pk]


@pytest.mark.django_db
def test_editor_moves_articles_to_another_section_with_a_redirect_for_published_ones(
    client, editor, changed_ids
):
    old, new = SectionFactory(slug="alt"), SectionFactory(name="Kultur", slug="kultur")
    live = ArticleFactory(section=old, published=True, slug="bericht")
    draft = ArticleFactory(section=old)
    client.force_login(editor)
    response = run_action(client, "move_to_section_selected", [live, draft], section=str(new.pk))
    assert response.status_code == 200
    for article in (live, draft):
        article.refresh_from_db()
        assert article.section == new
        assert "article.section_moved" in audit_actions(article)
        assert article.revisions.count() == 1  # the factory made none; the move made one
    assert live.old_urls.filter(section_slug="alt", slug="bericht").exists()
    assert sorted(changed_ids) == sorted([live.pk, draft.pk])


@pytest.mark.django_db
def test_editor_adds_a_tag_keeping_the_others_and_a_duplicate_is_reported(client, editor, section):
    tagged = ArticleFactory(section=section, tags=["Energie"], headline="Hat schon")
    other = ArticleFactory(section=section, tags=["Verkehr"])
    client.force_login(editor)
    response = run_action(client, "add_tag_selected", [tagged, other], tag="energie")
    # The existing tag is reused (tags match without regard to case).
    assert sorted(other.tags.names()) == ["Energie", "Verkehr"]
    assert list(tagged.tags.names()) == ["Energie"]
    assert "Hat schon" in response.text.split('class="bulk-refused"')[1]
    assert "article.tag_added" in audit_actions(other)


@pytest.mark.django_db
def test_journalist_moves_own_drafts_but_not_what_is_in_review(client, journalist, section):
    other_section = SectionFactory(name="Sport", slug="sport")
    own_draft = ArticleFactory(section=section, created_by=journalist, headline="Mein Entwurf")
    in_review = ArticleFactory(
        section=section,
        created_by=journalist,
        status=Article.Status.REVIEW,
        headline="In Prüfung",
    )
    client.force_login(journalist)
    response = run_action(
        client, "move_to_section_selected", [own_draft, in_review], section=str(other_section.pk)
    )
    own_draft.refresh_from_db()
    in_review.refresh_from_db()
    assert own_draft.section == other_section
    assert in_review.section == section
    refused = response.text.split('class="bulk-refused"')[1]
    assert "In Prüfung" in refused and "nicht bearbeiten" in refused


@pytest.mark.django_db
def test_journalist_is_not_offered_schedule_or_unpublish(client, journalist, section):
    own = ArticleFactory(section=section, created_by=journalist)
    client.force_login(journalist)
    page = client.get(reverse(CHANGELIST))
    assert 'value="add_tag_selected"' in page.text
    assert 'value="schedule_selected"' not in page.text
    assert 'value="unpublish_selected"' not in page.text
    when = timezone.localtime(timezone.now() + timedelta(days=1))
    client.post(
        reverse(CHANGELIST),
        {
            "action": "schedule_selected",
            "_selected_action": [own.pk],
            "bulk_confirm": "1",
            "go_live_at_0": when.strftime("%d.%m.%Y"),
            "go_live_at_1": when.strftime("%H:%M"),
        },
    )
    own.refresh_from_db()
    assert own.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_journalist_cannot_reach_someone_elses_article_by_its_id(
    client, journalist, other_journalist, section
):
    foreign = ArticleFactory(section=section, created_by=other_journalist)
    client.force_login(journalist)
    client.post(
        reverse(CHANGELIST),
        {
            "action": "add_tag_selected",
            "_selected_action": [foreign.pk],
            "bulk_confirm": "1",
            "tag": "X",
        },
    )
    assert list(foreign.tags.names()) == []
