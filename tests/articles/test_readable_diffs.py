"""Comparing revisions reads like the article: words marked inside lines, the body as
text, dates in Berlin time, status as its label, tags added/removed; all escaped."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from articles import services
from articles.revisions import body_text_lines, diff_snapshots, word_diff


def test_changed_words_are_marked_inside_the_line_with_umlauts_intact():
    old, new = word_diff(
        "Die Brücke über die Spree wird gesperrt.", "Die Brücke über die Havel wird geöffnet."
    )
    assert old == "Die Brücke über die <del>Spree</del> wird <del>gesperrt</del>."
    assert new == "Die Brücke über die <ins>Havel</ins> wird <ins>geöffnet</ins>."


def test_word_diff_escapes_markup_and_entities_of_the_text():
    old, new = word_diff("a < b & c", "a <script>alert(1)</script> & c")
    assert "<script" not in new and "</script" not in new
    assert new == "a &lt;<ins>script&gt;alert(1)&lt;/script&gt;</ins> &amp; c"
    assert old == "a &lt;<del> b</del> &amp; c"


def test_body_is_compared_as_text_one_line_per_block():
    html = (
        "<h2>Lage&nbsp;am Morgen</h2><p>Stra&szlig;e &amp; Platz <b>gesperrt</b>.</p>"
        '<p>Mehr bei <a href="https://example.org/a?x=1&amp;y=2">der Stadt</a>.</p>'
        "<script>alert(1)</script><p>Ende</p>"
    )
    assert body_text_lines(html) == [
        "Lage am Morgen",
        "Straße & Platz gesperrt.",
        "Mehr bei der Stadt [→ https://example.org/a?x=1&y=2].",
        "Ende",
    ]


def snapshot(**values):
    base = {"headline": "Titel", "body": "", "status": "draft", "tags": [], "go_live_at": None}
    return {**base, **values}


def test_dates_show_in_berlin_time_and_status_as_its_label():
    old = snapshot(status="draft")
    new = snapshot(
        status="published", go_live_at=datetime(2026, 7, 1, 4, 30, tzinfo=UTC).isoformat()
    )
    with translation.override("de"):
        changes = {c.field: c for c in diff_snapshots(old, new)}
    assert changes["status"].rows[0].old == "Entwurf"
    assert changes["status"].rows[0].new == "Veröffentlicht"
    when = changes["go_live_at"].rows[0].new
    assert "06:30" in when and "1. Juli 2026" in when and "Europe/Berlin" in when
    with translation.override("en"):
        changes = {c.field: c for c in diff_snapshots(old, new)}
    assert changes["status"].rows[0].new == "Published"


def test_tags_are_listed_as_added_and_removed():
    changes = {
        c.field: c
        for c in diff_snapshots(
            snapshot(tags=["Energie", "Verkehr"]), snapshot(tags=["Energie", "Wahl"])
        )
    }
    assert changes["tags"].added == ["Wahl"]
    assert changes["tags"].removed == ["Verkehr"]
    assert changes["tags"].rows == []


@pytest.mark.django_db
def test_compare_page_marks_words_and_escapes_what_editors_typed(client, editor, section):
    article = services.article_create(
        actor=editor,
        headline="Rat beschließt Haushalt",
        lead="x",
        section=section,
        body="<p>Der Rat tagt am Montag.</p>",
        tags=["Haushalt"],
    )
    services.article_update(
        actor=editor,
        article=article,
        expected_version=1,
        changes={
            "headline": "Rat beschließt <script>alert(1)</script> Haushalt",
            "body": "<p>Der Rat tagt am Dienstag &amp; Mittwoch.</p>",
        },
        tags=["Haushalt", "Köln"],
    )
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revision_compare", args=[article.pk])).text
    assert "<script>alert(1)</script>" not in page
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>" in page
    assert "<del>Montag</del>" in page
    assert "<ins>Dienstag &amp; Mittwoch</ins>" in page
    assert "&lt;p&gt;" not in page and '<td class="old">&lt;p' not in page
    assert "hinzugefügt: <ins>Köln</ins>" in page
    english = client.get(
        reverse("admin:articles_article_revision_compare", args=[article.pk]),
        headers={"accept-language": "en"},
    )
    assert english.status_code == 200
