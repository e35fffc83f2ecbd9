"""The ticker desk in the admin: entries are added, corrected, approved and removed
beside the entry list, without the article form."""

from __future__ import annotations

import pytest

from core.models import AuditEntry
from tests.factories import ArticleFactory
from ticker.models import BreakingNews, Ticker, TickerEntry

pytestmark = pytest.mark.django_db


def _desk(ticker) -> str:
    return f"/admin/ticker/ticker/{ticker.pk}/change/"


def _post(client, ticker, **data):
    return client.post(_desk(ticker), data, follow=True)


def test_editor_posts_an_entry_from_the_desk_and_it_appears_at_once(client, editor, ticker):
    client.force_login(editor)
    page = client.get(_desk(ticker))
    assert page.status_code == 200
    assert "Neuer Eintrag" in page.text and "Eintrag veröffentlichen" in page.text
    response = _post(
        client, ticker, action="add", body="<p>Erste Hochrechnung.</p>", key_event="on"
    )
    assert "Eintrag veröffentlicht." in response.text
    entry = TickerEntry.objects.get()
    assert entry.status == TickerEntry.Status.PUBLISHED and entry.key_event
    assert "Erste Hochrechnung" in client.get(ticker.article.get_absolute_url()).text


def test_empty_text_shows_the_form_again_with_an_error(client, editor, ticker):
    client.force_login(editor)
    response = _post(client, ticker, action="add", body="<script>x</script>")
    assert response.status_code == 200
    assert "Bitte einen Text eingeben." in response.text
    assert not TickerEntry.objects.exists()


def test_journalist_submits_and_editor_approves_corrects_and_removes(
    client, journalist, editor, ticker
):
    client.force_login(journalist)
    page = client.get(_desk(ticker))
    assert "Zur Freigabe einreichen" in page.text
    _post(client, ticker, action="add", body="<p>Vom Wahlkreis.</p>")
    entry = TickerEntry.objects.get()
    assert entry.status == TickerEntry.Status.REVIEW
    client.force_login(editor)
    assert "Freigeben" in client.get(_desk(ticker)).text
    _post(client, ticker, action="publish", entry=entry.pk)
    entry.refresh_from_db()
    assert entry.status == TickerEntry.Status.PUBLISHED
    form = client.get(_desk(ticker) + f"?korrigieren={entry.pk}")
    assert "Eintrag korrigieren" in form.text and "Vom Wahlkreis." in form.text
    _post(client, ticker, action="correct", entry=entry.pk, body="<p>Aus dem Wahlkreis.</p>")
    entry.refresh_from_db()
    assert entry.body == "<p>Aus dem Wahlkreis.</p>" and entry.corrected_at
    _post(client, ticker, action="remove", entry=entry.pk)
    assert not TickerEntry.objects.exists()
    assert AuditEntry.objects.filter(action="ticker_entry_removed", actor=editor).exists()


def test_journalist_cannot_remove_a_published_entry_from_the_desk(client, journalist, ticker, add):
    entry = add()
    client.force_login(journalist)
    assert "Entfernen" not in client.get(_desk(ticker)).text.split('id="eintrag-liste"')[1]
    response = client.post(_desk(ticker), {"action": "remove", "entry": entry.pk})
    assert response.status_code == 403
    assert TickerEntry.objects.filter(pk=entry.pk).exists()


def test_moderator_has_no_ticker_desk(client, moderator, ticker):
    client.force_login(moderator)
    assert client.get(_desk(ticker)).status_code == 403


def test_editor_starts_a_ticker_on_an_article(client, editor, section):
    article = ArticleFactory(section=section, published=True)
    client.force_login(editor)
    response = client.post(
        "/admin/ticker/ticker/add/",
        {"article": article.pk, "started_at_0": "06.12.2026", "started_at_1": "18:00:00"},
        follow=True,
    )
    assert response.status_code == 200
    assert Ticker.objects.filter(pk=article.pk).exists()
    assert AuditEntry.objects.filter(action="ticker_started").exists()


def test_editor_sets_and_clears_the_breaking_news_banner_on_every_page(
    client, editor, section, django_capture_on_commit_callbacks
):
    ArticleFactory(section=section, published=True)
    reader = client.__class__()
    assert "Eilmeldung" not in reader.get("/").text
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/ticker/breakingnews/add/",
            {"text": "Sturmwarnung für Hamburg", "url": "/politik/"},
        )
    banner = BreakingNews.objects.get(active=True)
    assert "Sturmwarnung für Hamburg" in reader.get("/").text
    assert "Sturmwarnung für Hamburg" in reader.get("/politik/").text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/ticker/breakingnews/",
            {"action": "clear", "_selected_action": [banner.pk]},
        )
    assert not BreakingNews.objects.filter(active=True).exists()
    assert "Sturmwarnung" not in reader.get("/").text


def test_the_article_form_of_a_ticker_links_to_its_desk(client, editor, ticker, section):
    client.force_login(editor)
    form = client.get(f"/admin/articles/article/{ticker.pk}/change/")
    assert form.status_code == 200
    assert f"/admin/ticker/ticker/{ticker.pk}/change/" in form.text
    plain = ArticleFactory(section=section)
    assert (
        "/admin/ticker/ticker/"
        not in client.get(f"/admin/articles/article/{plain.pk}/change/").text.split(
            'id="content-main"'
        )[1]
    )


def test_a_correction_saved_unchanged_from_the_desk_changes_nothing(client, editor, ticker, add):
    """The desk's form shows the time to the second; saved without changes, the entry
    keeps its stored time (microseconds) and is not marked as corrected."""
    import re

    entry = add()
    stored = TickerEntry.objects.get(pk=entry.pk)
    assert stored.time.microsecond  # a real posting time, not a whole second
    client.force_login(editor)
    form = client.get(_desk(ticker) + f"?korrigieren={entry.pk}").text
    values = dict(re.findall(r'name="(time_[01])"[^>]*value="([^"]*)"', form))
    assert set(values) == {"time_0", "time_1"}
    _post(client, ticker, action="correct", entry=entry.pk, body=stored.body, **values)
    after = TickerEntry.objects.get(pk=entry.pk)
    assert after.time == stored.time
    assert after.corrected_at is None
    assert not AuditEntry.objects.filter(action__startswith="ticker_entry_correct").exists()
