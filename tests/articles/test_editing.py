"""Saving content: sanitising, slugs, revisions, restore, conflicts, old URLs."""

import pytest

from articles import services
from articles.models import Article, ArticleURL
from articles.revisions import diff_snapshots
from articles.slugs import german_slugify
from core.sanitize import clean_body_html
from tests.factories import AuthorFactory, SectionFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<img src="/media/a.jpg" onload="alert(1)">',
    '<a href="javascript:alert(1)">klick</a>',
    '<a href="JaVaScRiPt:alert(1)">klick</a>',
    '<a href="java&#x09;script:alert(1)">klick</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"></svg>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name="x"></form>',
    '<details open ontoggle="alert(1)">x</details>',
    '<body onload="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<p><a href="vbscript:msgbox(1)">x</a></p>',
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<img src="https://evil.example/tracker.gif">',
    '<img src="//evil.example/x.png">',
    '<img src="/media/../admin/x.png">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]
DANGEROUS = ["<script", "onerror", "onload", "ontoggle", "javascript:", "vbscript:", "data:",
             "<iframe", "<svg", "<math", "<object", "<embed", "<form", "<style", "style=",
             "<meta", "<base", "<link", "evil.example", "/media/.."]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_never_survive_sanitising(payload):
    cleaned = clean_body_html(payload).lower()
    for marker in DANGEROUS:
        assert marker not in cleaned, (payload, cleaned)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS[:6])
def test_saving_an_article_stores_only_the_sanitised_body(editor, section, payload):
    article = services.article_create(
        actor=editor, headline="Test", lead="x", section=section, body=f"<p>Gut</p>{payload}"
    )
    article.refresh_from_db()
    assert "<p>Gut</p>" in article.body
    assert "alert" not in article.body or "<script" not in article.body
    assert "javascript:" not in article.body and "onerror" not in article.body


def test_body_keeps_editorial_formatting():
    html = (
        "<h2>Zwischentitel</h2><p><strong>fett</strong> <em>kursiv</em></p>"
        "<ul><li>eins</li></ul><blockquote><p>Zitat</p></blockquote>"
        '<figure><img src="/media/uploads/a.jpg" alt="A"><figcaption>Bild</figcaption></figure>'
        "<table><tbody><tr><td>1</td></tr></tbody></table>"
    )
    assert clean_body_html(html) == html


@pytest.mark.parametrize(
    ("headline", "slug"),
    [
        ("Bürger protestieren gegen Gebühren", "buerger-protestieren-gegen-gebuehren"),
        ("Größte Straße Österreichs", "groesste-strasse-oesterreichs"),
        ("Übermäßig: Ärger über Ölpreis", "uebermaessig-aerger-ueber-oelpreis"),
        ("Café & Crème – 100 % à la carte!", "cafe-creme-100-a-la-carte"),
    ],
)
def test_slugs_transliterate_german_umlauts(headline, slug):
    assert german_slugify(headline) == slug


@pytest.mark.django_db
def test_empty_slug_is_filled_from_the_headline_and_kept_unique(editor, section):
    first = services.article_create(actor=editor, headline="Grüne Welle", lead="x", section=section)
    second = services.article_create(
        actor=editor, headline="Grüne Welle", lead="x", section=section
    )
    assert first.slug == "gruene-welle"
    assert second.slug == "gruene-welle-2"


@pytest.mark.django_db
def test_every_save_stores_a_revision_with_a_full_snapshot(editor, section):
    author = AuthorFactory(name="Lea Lenz")
    article = services.article_create(
        actor=editor, headline="Alt", lead="x", section=section, authors=[author], tags=["Wahl"]
    )
    services.article_update(
        actor=editor, article=article, expected_version=1, changes={"headline": "Neu"}
    )
    assert list(article.revisions.values_list("number", flat=True)) == [2, 1]
    newest = article.revisions.first().snapshot
    assert newest["headline"] == "Neu"
    assert newest["authors"] == [{"id": author.pk, "label": "Lea Lenz"}]
    assert newest["tags"] == ["Wahl"]
    assert newest["section"]["label"] == "Politik"


@pytest.mark.django_db
def test_diff_of_two_revisions_shows_changed_lines_and_escapes_html(editor, section, admin_client):
    article = services.article_create(
        actor=editor, headline="Alt", lead="x", section=section, body="<p>Eins</p><p>Zwei</p>"
    )
    services.article_update(
        actor=editor,
        article=article,
        expected_version=1,
        changes={"headline": "Neu <b>", "body": "<p>Eins</p><p>Drei</p>"},
    )
    old, new = article.revisions.order_by("number")
    changes = {c.field: c.rows for c in diff_snapshots(old.snapshot, new.snapshot)}
    assert set(changes) == {"headline", "body"}
    # The body as text, one line per paragraph (tests/articles/test_readable_diffs.py).
    assert [(r.kind, r.old, r.new) for r in changes["body"]] == [
        ("equal", "Eins", "Eins"),
        ("replace", "Zwei", "Drei"),
    ]


@pytest.mark.django_db
def test_restoring_an_old_revision_creates_a_new_revision(editor, section):
    article = services.article_create(
        actor=editor, headline="Erste Fassung", lead="x", section=section, tags=["Alt"]
    )
    services.article_update(
        actor=editor,
        article=article,
        expected_version=1,
        changes={"headline": "Zweite"},
        tags=["Neu"],
    )
    services.revision_restore(actor=editor, revision=article.revisions.get(number=1))
    article.refresh_from_db()
    assert article.headline == "Erste Fassung"
    assert article.version == 3
    assert sorted(article.tags.names()) == ["Alt"]
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]
    assert "Version 1" in article.revisions.first().note


@pytest.mark.django_db
def test_stale_save_is_refused_naming_who_changed_it(editor, journalist, section):
    article = services.article_create(
        actor=journalist, headline="Original", lead="x", section=section
    )
    mine = Article.objects.get(pk=article.pk)
    services.article_update(
        actor=editor, article=article, expected_version=1, changes={"lead": "Vom CvD"}
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.article_update(
            actor=journalist, article=mine, expected_version=1, changes={"lead": "Meins"}
        )
    assert "Carla Vogt" in conflict.value.messages[0]
    assert "von=1&bis=2" in conflict.value.diff_url
    article.refresh_from_db()
    assert article.lead == "Vom CvD"


@pytest.mark.django_db
def test_moving_a_published_article_remembers_the_old_url(editor, section):
    article = services.article_create(actor=editor, headline="Umzug", lead="x", section=section)
    services.article_publish(actor=editor, article=article)
    economy = SectionFactory(name="Wirtschaft", slug="wirtschaft")
    services.article_update(
        actor=editor,
        article=article,
        expected_version=1,
        changes={"section": economy, "slug": "umzug-neu"},
    )
    assert list(ArticleURL.objects.values_list("section_slug", "slug", "article")) == [
        ("politik", "umzug", article.pk)
    ]


@pytest.mark.django_db
def test_renaming_a_never_published_draft_records_no_old_url(editor, section):
    article = services.article_create(actor=editor, headline="Entwurf", lead="x", section=section)
    services.article_update(
        actor=editor, article=article, expected_version=1, changes={"slug": "anders"}
    )
    assert not ArticleURL.objects.exists()
