"""Ticker entries are written through the services: permissions, sanitising, audit,
coverage end, and purges of the cached pages on commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core import pagecache
from core.models import AuditEntry
from tests.factories import ArticleFactory, ImageFactory
from ticker import services
from ticker.models import BreakingNews, TickerEntry

pytestmark = pytest.mark.django_db


def test_editor_entry_appears_at_once_and_is_audited(add, editor):
    entry = add("<p>Erste Hochrechnung: <strong>Partei A</strong> vorn.</p>")
    assert entry.status == TickerEntry.Status.PUBLISHED
    assert TickerEntry.objects.published().get() == entry
    audit = AuditEntry.objects.get(action="ticker_entry_added")
    assert audit.actor == editor and audit.object_id == str(entry.pk)


def test_journalist_entry_waits_for_an_editor(ticker, journalist, editor):
    entry = services.entry_add(user=journalist, ticker=ticker, body="<p>Vorläufig.</p>")
    assert entry.status == TickerEntry.Status.REVIEW
    assert not TickerEntry.objects.published().exists()
    services.entry_publish(user=editor, entry=entry)
    entry.refresh_from_db()
    assert entry.status == TickerEntry.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="ticker_entry_published", actor=editor).exists()


def test_journalist_may_not_approve_correct_others_or_remove_published_entries(
    ticker, journalist, other_journalist, add
):
    published = add()
    own = services.entry_add(user=journalist, ticker=ticker, body="<p>Eigener Eintrag.</p>")
    with pytest.raises(PermissionDenied):
        services.entry_publish(user=journalist, entry=own)
    with pytest.raises(PermissionDenied):
        services.entry_correct(user=journalist, entry=published, body="<p>Anders.</p>")
    with pytest.raises(PermissionDenied):
        services.entry_remove(user=journalist, entry=published)
    with pytest.raises(PermissionDenied):
        services.entry_correct(user=other_journalist, entry=own, body="<p>Fremd.</p>")
    # Their own entry, while it waits: correct and withdraw.
    services.entry_correct(user=journalist, entry=own, body="<p>Besser.</p>")
    services.entry_remove(user=journalist, entry=own)
    assert not TickerEntry.objects.filter(pk=own.pk).exists()


def test_moderator_cannot_post_entries(ticker, moderator):
    with pytest.raises(PermissionDenied):
        services.entry_add(user=moderator, ticker=ticker, body="<p>Nein.</p>")


def test_entry_text_is_sanitised_and_must_not_be_empty(add):
    entry = add('<p onclick="x()">Text<script>alert(1)</script></p><iframe src="//x"></iframe>')
    assert entry.body == "<p>Text</p>"
    with pytest.raises(ValidationError):
        add("<script>alert(1)</script>")


def test_correction_marks_a_published_entry_and_keeps_the_old_text_in_the_audit(add, editor):
    entry = add("<p>Wahlbeteiligung 60 Prozent.</p>")
    assert entry.corrected_at is None
    services.entry_correct(user=editor, entry=entry, body="<p>Wahlbeteiligung 66 Prozent.</p>")
    entry.refresh_from_db()
    assert entry.corrected_at is not None
    assert entry.body == "<p>Wahlbeteiligung 66 Prozent.</p>"
    audit = AuditEntry.objects.get(action="ticker_entry_corrected")
    assert audit.data["old_body"] == "<p>Wahlbeteiligung 60 Prozent.</p>"


def test_removal_is_audited_with_the_removed_text(add, editor):
    entry = add("<p>Falsche Meldung.</p>")
    services.entry_remove(user=editor, entry=entry)
    assert not TickerEntry.objects.exists()
    audit = AuditEntry.objects.get(action="ticker_entry_removed")
    assert audit.data["body"] == "<p>Falsche Meldung.</p>" and audit.actor == editor


def test_only_one_entry_is_pinned(add, editor):
    first = add("<p>Eins.</p>", pinned=True)
    second = add("<p>Zwei.</p>", pinned=True)
    first.refresh_from_db()
    assert not first.pinned and second.pinned
    # Readers' order: pinned first, then newest first.
    third = add("<p>Drei.</p>")
    assert list(TickerEntry.objects.published()) == [second, third, first]


def test_closing_entry_ends_coverage_and_removing_it_lets_the_ticker_run_again(ticker, add, editor):
    at = timezone.now() - timedelta(minutes=5)
    closing = add("<p>Damit endet unser Ticker.</p>", closing=True, time=at)
    ticker.refresh_from_db()
    assert ticker.ended_at == at and not ticker.is_running
    services.entry_remove(user=editor, entry=closing)
    ticker.refresh_from_db()
    assert ticker.is_running


def test_entry_may_carry_an_image(add):
    image = ImageFactory()
    entry = add("<p>Mit Bild.</p>", image=image, key_event=True)
    assert entry.image == image and entry.key_event


def test_each_entry_change_purges_the_ticker_and_the_lists_showing_it_on_commit_not_the_site(
    ticker, add, editor, django_capture_on_commit_callbacks
):
    # Lists showing the ticker's teaser carry its "article:<id>" tag (fine invalidation,
    # issue #15 item 4): a busy ticker does not empty the whole page cache every entry.
    tags = (f"article:{ticker.pk}",)
    for change in (
        lambda: add("<p>Neu.</p>"),
        lambda: services.entry_correct(
            user=editor, entry=TickerEntry.objects.first(), body="<p>Korrigiert.</p>"
        ),
        lambda: services.entry_remove(user=editor, entry=TickerEntry.objects.first()),
    ):
        before = pagecache.tag_versions(tags)
        site_before = pagecache.tag_versions(("site",))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            change()
        # Nothing is purged before the commit ...
        assert pagecache.tag_versions(tags) == before
        with django_capture_on_commit_callbacks(execute=True):  # the commit
            for callback in callbacks:
                callback()
        # ... and everything after it.
        after = pagecache.tag_versions(tags)
        assert all(after[tag] != before[tag] for tag in tags)
        assert pagecache.tag_versions(("site",)) == site_before


def test_starting_a_ticker_needs_an_editor_and_is_idempotent(journalist, editor, section):
    article = ArticleFactory(section=section)
    with pytest.raises(PermissionDenied):
        services.ticker_start(user=journalist, article=article)
    first = services.ticker_start(user=editor, article=article)
    assert services.ticker_start(user=editor, article=article) == first
    assert AuditEntry.objects.filter(action="ticker_started").count() == 1


def test_breaking_news_banner_replaces_the_previous_one_and_is_cleared_by_an_editor(
    editor, journalist
):
    services.breaking_news_set(user=editor, text="Erdbeben in Mittelitalien", url="/politik/")
    services.breaking_news_set(user=editor, text="Regierung tritt zurück")
    assert BreakingNews.objects.get(active=True).text == "Regierung tritt zurück"
    with pytest.raises(PermissionDenied):
        services.breaking_news_clear(user=journalist)
    with pytest.raises(ValidationError):
        services.breaking_news_set(user=editor, text="x", url="https://evil.example/")
    assert services.breaking_news_clear(user=editor) == 1
    assert not BreakingNews.objects.filter(active=True).exists()
    assert AuditEntry.objects.filter(action="breaking_news_cleared").count() == 1


def test_correcting_an_entry_with_its_own_text_as_ckeditor_sends_it_changes_nothing(add, editor):
    entry = add("<p>Die Bürgermeisterin „gewinnt“ – knapp.</p><ul><li>Ära</li></ul>")
    before = AuditEntry.objects.count()
    sent = (
        "<p>Die B&uuml;rgermeisterin &bdquo;gewinnt&ldquo; &ndash; knapp.</p>\r\n\r\n"
        "<ul>\r\n\t<li>&Auml;ra</li>\r\n</ul>\r\n"
    )
    services.entry_correct(user=editor, entry=entry, body=sent, time=entry.time)
    stored = TickerEntry.objects.get(pk=entry.pk)
    assert stored.body.encode() == entry.body.encode()
    assert stored.corrected_at is None
    assert AuditEntry.objects.count() == before
    # A real correction is one.
    services.entry_correct(user=editor, entry=entry, body=sent.replace("knapp", "klar"))
    stored.refresh_from_db()
    assert "klar" in stored.body and stored.corrected_at is not None
