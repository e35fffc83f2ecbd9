"""XSS corpus: every payload, pushed through every field that reaches a reader page,
renders as inert text (or is cleaned away) on every page that shows it.

The fields are stored the way a careless import or a future admin change could
store them: straight into the database, without the admin's cleaning (comments
go through the real ``comment_post`` service). So the pages themselves must
escape or sanitise at render time. Each page is parsed (``html_audit``) and
checked for anything that could run: inline scripts, foreign scripts, ``on*``
attributes, ``javascript:``/``data:`` URLs, frames other than the ads' sandboxed
one, SVG/MathML/style elements, a break-out of the JSON-LD block.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parses our own feeds

import pytest
from django.urls import reverse
from taggit.models import Tag

from ads.models import Creative, Slot
from ads.rendering import make_token
from articles.models import Correction, RelatedLink
from comments import services as comment_services
from comments import tokens
from comments.models import Comment, ModerationMode, ModerationSettings
from pages.models import Page
from tests.ads.conftest import ALL_CODES, HUMAN_UA
from tests.ads.factories import CampaignFactory, CreativeFactory, SlotFactory
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
)
from tests.security.html_audit import audit, elements

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": '<script>alert("xss")</script>',
    "img-onerror": '<img src=x onerror=alert("xss")>',
    "javascript-url": '<a href="javascript:alert(1)">klick</a>',
    "javascript-entity": '<a href="&#106;ava&#x09;script:alert(1)">klick</a>',
    "data-url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    "svg-onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "css-expression": (
        '<p style="background:url(javascript:alert(1));width:expression(alert(1))">css</p>'
        "<style>body{background:url(javascript:alert(1))}</style>"
    ),
    "broken-markup": '<p><b onmouseover=alert(1)>kaputt<a href=" javascript:alert(1)" <i x="',
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "title-breakout": "</title><script>alert(1)</script>",
    "attribute-breakout": "\"' onfocus=alert(1) autofocus x='\"",
    "jsonld-breakout": '</script><script>alert(1)</script>"}',
    "iframe": '"><iframe src="javascript:alert(1)"></iframe>',
    "details-ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "math": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "rtl-override": "\u202e<script>alert(1)</script>\u202d txt.exe",
    "zero-width": '<scr\u200bipt>alert(1)</script><a href="java\u200bscript:alert(1)">z</a>',
    "fullwidth": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
}

# Elements no reader page has of its own; from content they can only be an attack.
FORBIDDEN_ELEMENTS = {"svg", "math", "style", "details", "object", "embed", "base", "mglyph"}


def assert_inert(html: str, *, where: str) -> None:
    """Nothing in ``html`` can run: the audit is clean and the elements are ours."""
    findings = audit(html)
    assert not findings, f"{where}: {findings}"
    for tag, attrs in elements(html):
        assert tag not in FORBIDDEN_ELEMENTS, f"{where}: <{tag} {attrs}> from content"
        if tag == "script":
            kind = attrs.get("type") or ""
            src = attrs.get("src") or ""
            assert src.startswith(("/static/", "/jsi18n")) or kind == "application/ld+json", (
                f"{where}: foreign script {attrs}"
            )
        if tag in ("iframe", "frame"):
            assert (attrs.get("src") or "").startswith("/anzeigen/rahmen/"), f"{where}: {attrs}"
            assert "allow-same-origin" not in (attrs.get("sandbox") or ""), f"{where}: {attrs}"
    # Raw, executable markup of the corpus never appears unescaped.
    for needle in ("<script>alert", "<img src=x", "<svg", '<iframe src="javascript'):
        assert needle not in html, f"{where}: raw {needle!r}"
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        json.loads(block)  # the block stays one valid JSON document
        assert "</script" not in block.lower()


@pytest.fixture
def ad_slots(db):
    """One creative kind per slot, so each slot's choice is deterministic."""
    return {
        code: SlotFactory(code=code, position=position, after_n=after_n)
        for code, position, after_n in ALL_CODES
    }


@pytest.fixture
def poisoned(ad_slots, settings):
    """Builds a site whose every reader-visible field carries ``payload``."""
    settings.SEARCH_RATE_LIMIT = 10_000

    def build(payload: str):
        conf = ModerationSettings.get()
        conf.mode = ModerationMode.POST
        conf.min_seconds_to_fill = 0
        conf.save()
        section = SectionFactory(
            slug="politik", name=f"Politik {payload}"[:80], description=f"Ressort {payload}"
        )
        author = AuthorFactory(slug="erika", name=f"Erika {payload}"[:120], bio=f"Bio {payload}")
        image = ImageFactory(
            alt_text=f"Alt {payload}", caption=f"Bild {payload}", credit=f"Foto {payload}"
        )
        article = ArticleFactory(
            published=True,
            section=section,
            slug="wahlkampf",
            headline=f"Wahlkampf {payload}"[:200],
            kicker=f"Dach {payload}"[:120],
            lead=f"Vorspann {payload}",
            dateline=f"Berlin {payload}"[:80],
            body=f"<p>Erster Absatz {payload}</p><p>Zweiter {payload}</p><p>Dritter</p>",
            meta_description=f"Meta {payload}"[:300],
            social_title=f"Sozial {payload}"[:200],
            teaser_image=image,
            authors=[author],
        )
        tag = Tag.objects.create(name=f"Thema {payload}"[:100], slug="thema-xss")
        article.tags.add(tag)
        # A second article so related teasers and lists show the first one's fields too.
        ArticleFactory(published=True, section=section, slug="zweiter", tags=[tag])
        Correction.objects.create(article=article, text=f"Korrektur {payload}")
        RelatedLink.objects.create(
            article=article, title=f"Link {payload}"[:200], url="https://example.org/"
        )
        RelatedLink.objects.create(article=article, title="Gefährlich", url="javascript:alert(1)")
        RelatedLink.objects.create(
            article=article, title="Daten", url="data:text/html,<script>alert(1)</script>"
        )
        Page.objects.create(
            slug="xss-seite", title=f"Impressum {payload}"[:200], body=f"<p>{payload}</p>"
        )
        first = comment_services.comment_post(
            article=article,
            name=f"Leser {payload}"[:80],
            email="leser@example.org",
            text=f"Kommentar {payload}",
            form_token=tokens.form_timestamp(0),
        )
        assert first.status == Comment.Status.APPROVED, first.moderation_reasons
        comment_services.comment_post(
            article=article,
            parent=first,
            name="Antwort",
            email="antwort@example.org",
            text=f"Antwort {payload}",
            form_token=tokens.form_timestamp(0),
        )
        CreativeFactory(
            campaign=CampaignFactory(slots=[ad_slots["article_top"]]),
            headline=f"Anzeige {payload}"[:100],
            text=f"Text {payload}"[:300],
            click_url="javascript:alert(1)",
        )
        CreativeFactory(
            campaign=CampaignFactory(slots=[ad_slots["article_sidebar"]]),
            image_ad=True,
            alt_text=f"Banner {payload}"[:250],
            click_url="https://example.org/",
        )
        html_ad = CreativeFactory(
            campaign=CampaignFactory(slots=[ad_slots["article_bottom"]]),
            html_ad=True,
            html=f"<div>{payload}</div><script>alert(1)</script>",
        )
        return article, tag, author, html_ad

    return build


def reader_pages(article, tag, author) -> dict[str, str]:
    return {
        "article": article.get_absolute_url(),
        "home": "/",
        "section": reverse("articles:section", args=[article.section.slug]),
        "tag": reverse("articles:tag", args=[tag.slug]),
        "author": reverse("articles:author", args=[author.slug]),
        "search": reverse("articles:search") + "?q=Wahlkampf",
        "archive": reverse("articles:archive"),
        "page": reverse("pages:detail", args=["xss-seite"]),
        "thread": reverse("comments:thread", args=[article.pk]),
        "fragment": reverse("comments:fragment", args=[article.pk]),
        "compose": reverse("comments:compose", args=[article.pk]),
    }


@pytest.mark.parametrize("name", PAYLOADS)
def test_no_payload_runs_on_any_reader_page(name, client, poisoned):
    payload = PAYLOADS[name]
    article, tag, author, _html_ad = poisoned(payload)
    for page, url in reader_pages(article, tag, author).items():
        response = client.get(url, HTTP_USER_AGENT=HUMAN_UA)
        assert response.status_code == 200, (page, url, response.status_code)
        assert_inert(response.content.decode(), where=f"{page} ({url})")
    # The search term itself is echoed on the search page (and in its pagination links).
    response = client.get(reverse("articles:search"), {"q": payload}, HTTP_USER_AGENT=HUMAN_UA)
    assert response.status_code == 200
    assert_inert(response.content.decode(), where="search echo")


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_text_of_fields_is_shown_escaped_not_dropped(name, client, poisoned):
    """Plain-text fields are escaped (the reader sees the characters), not interpreted."""
    payload = PAYLOADS[name]
    article, _tag, _author, _html_ad = poisoned(payload)
    html = client.get(article.get_absolute_url()).content.decode()
    visible = " ".join(_text_nodes(html))
    assert f"Wahlkampf {payload}"[:200].strip() in visible  # headline
    assert f"Korrektur {payload}" in visible
    assert f"Kommentar {payload}" in visible


def _text_nodes(html: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Collector(HTMLParser):
        def handle_data(self, data):
            found.append(data)

    parser = Collector(convert_charrefs=True)
    parser.feed(html)
    return found


@pytest.mark.parametrize("name", PAYLOADS)
def test_feeds_carry_payloads_only_as_inert_text(name, client, poisoned):
    payload = PAYLOADS[name]
    article, tag, _author, _html_ad = poisoned(payload)
    urls = [
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:section_feed", args=[article.section.slug]),
        reverse("articles:tag_feed", args=[tag.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(response.content)  # noqa: S314 - our own output; must be well-formed
        # Feed readers render an entry's description/summary/content as HTML.
        entries = [n for n in root.iter() if n.tag.rsplit("}", 1)[-1] in ("item", "entry")]
        assert entries, url
        for entry in entries:
            for node in entry:
                local = node.tag.rsplit("}", 1)[-1]
                if local in ("description", "summary", "content") and node.text:
                    assert_inert(node.text, where=f"{url} <{local}>")


@pytest.mark.parametrize("name", PAYLOADS)
def test_ads_show_payloads_inert_and_html_creatives_only_in_the_sandbox(name, client, poisoned):
    payload = PAYLOADS[name]
    article, _tag, _author, html_ad = poisoned(payload)
    for code in ("article_top", "article_sidebar", "article_bottom"):
        url = reverse("ads:slot", args=[code]) + f"?seite=artikel&ressort={article.section.slug}"
        response = client.get(url, HTTP_USER_AGENT=HUMAN_UA)
        assert response.status_code == 200
        fragment = response.json()["html"]
        assert fragment, code
        assert_inert(fragment, where=f"slot {code}")
        for tag, attrs in elements(fragment):
            if tag == "a":  # every ad link goes through the signed, counted click URL
                assert attrs["href"].startswith("/anzeigen/klick/"), attrs
    # The HTML creative's own markup lives only in the frame document, which the
    # browser sandboxes twice (iframe sandbox + CSP sandbox, no same origin).
    slot = Slot.objects.get(code="article_bottom")
    frame = client.get(
        reverse("ads:frame", args=[make_token(creative_id=html_ad.pk, slot_id=slot.pk)])
    )
    assert frame.status_code == 200
    assert "sandbox allow-scripts" in frame["Content-Security-Policy"]
    assert "allow-same-origin" not in frame["Content-Security-Policy"]
    # A javascript: click target stored in the database never becomes a redirect.
    text_ad = Creative.objects.get(kind=Creative.Kind.TEXT)
    click = client.get(
        reverse("ads:click", args=[make_token(creative_id=text_ad.pk, slot_id=slot.pk)]),
        HTTP_USER_AGENT=HUMAN_UA,
    )
    assert click.status_code >= 400
    assert "javascript:" not in click.get("Location", "")


def test_the_corpus_is_caught_by_the_auditor():
    """The checker itself finds each payload when it is put on a page unescaped."""
    missed = []
    for name, payload in PAYLOADS.items():
        if name in ("fullwidth", "attribute-breakout", "jsonld-breakout"):
            continue  # inert or context-dependent on their own; checked by the pages above
        page = f"<html><body><div>{payload}</div></body></html>"
        try:
            assert_inert(page, where=name)
        except AssertionError:
            continue
        missed.append(name)
    assert missed == []
    # Context payloads, placed where they would bite:
    with pytest.raises(AssertionError):
        assert_inert(f"<input value='{PAYLOADS['attribute-breakout']}'>", where="attr")
    with pytest.raises(AssertionError):
        assert_inert(
            f'<script type="application/ld+json">{{"a": "{PAYLOADS["jsonld-breakout"]}</script>',
            where="ld",
        )
