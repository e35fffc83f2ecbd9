"""Every ad is labelled "ANZEIGE", separated, reserved in size and safe to embed."""

from __future__ import annotations

import json
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils.safestring import mark_safe

from ads.models import Campaign, PageType, Slot
from ads.rendering import make_token
from tests.ads.conftest import ALL_CODES, HUMAN_UA
from tests.ads.factories import CampaignFactory, CreativeFactory, SlotFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

KINDS = {
    "image": {"image_ad": True},
    "text": {},
    "html": {"html_ad": True},
}


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template("{% load ads %}" + source).render(Context({"request": request, **context}))


def slot_blocks(html: str) -> list[str]:
    return re.findall(r"<aside class=\"ad-slot.*?</aside>", html, re.S)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("code", [code for code, _, _ in ALL_CODES])
def test_every_ad_in_every_slot_carries_the_label_above_it(all_slots, client, kind, code):
    creative = CreativeFactory(**KINDS[kind])
    html = render(f'{{% ad_slot "{code}" %}}', article=ArticleFactory(published=True))
    [block] = slot_blocks(html)
    label = block.index('<p class="ad-slot__label">ANZEIGE</p>')
    assert label < block.index("<noscript>")
    # The creative the reader's own request brings goes under that label too.
    src = block.split('data-ad-src="')[1].split('"')[0].replace("&amp;", "&")
    response = client.get(src, HTTP_USER_AGENT=HUMAN_UA)
    assert response.json()["creative"] == creative.pk
    # The creative brings no label of its own: the only one is the CMS's, in the slot.
    assert response.json()["html"] and "ANZEIGE" not in response.json()["html"]


def test_no_creative_can_remove_the_label(slot):
    CreativeFactory(
        kind="text",
        headline="<style>.ad-slot__label{display:none}</style>",
        text="</aside><p>ANZEIGE entfernt</p>",
    )
    [block] = slot_blocks(render('{% ad_slot "article_top" %}'))
    assert '<p class="ad-slot__label">ANZEIGE</p>' in block
    assert "<style>" not in block and "</aside><p>" not in block  # escaped


def test_links_are_sponsored_and_images_lazy_with_dimensions(slot):
    CreativeFactory(image_ad=True)
    html = render('{% ad_slot "article_top" %}')
    assert 'rel="sponsored noopener"' in html
    assert re.search(r'<img [^>]*loading="lazy"', html)
    assert 'width="728" height="90"' in html
    assert 'alt="Ein blaues Werbebanner"' in html


def test_text_ads_link_through_the_signed_click_url(slot):
    creative = CreativeFactory()
    html = render('{% ad_slot "article_top" %}')
    assert 'rel="sponsored noopener"' in html
    assert reverse("ads:click", args=[make_token(creative_id=creative.pk, slot_id=slot.pk)]) in html
    assert creative.click_url not in html  # the target is only reached through the redirect


def test_slot_reserves_its_size_per_breakpoint(db):
    SlotFactory(
        code="article_sidebar",
        mobile_width=300,
        mobile_height=250,
        desktop_width=300,
        desktop_height=600,
    )
    CreativeFactory()
    html = render('{% ad_slot "article_sidebar" %}')
    assert "--ad-mw:300px;--ad-mh:250px;--ad-dw:300px;--ad-dh:600px" in html


def test_html_creatives_only_ever_render_as_sandboxed_iframes(slot, client):
    creative = CreativeFactory(html_ad=True)
    page = render('{% ad_slot "article_top" %}')
    fill = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA).json()
    for html in (page, fill["html"]):
        assert "ads.example/tag.js" not in html
        assert "<script" not in html.replace('<script src="/static/js/ads.js" defer></script>', "")
        iframe = re.search(r"<iframe [^>]*>", html).group(0)
        assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in iframe
        assert "allow-same-origin" not in iframe
        assert "srcdoc" not in iframe
    src = re.search(r'<iframe [^>]*src="([^"]+)"', fill["html"]).group(1)
    response = client.get(src)
    assert response.status_code == 200
    assert "https://ads.example/tag.js" in response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox" in csp
    assert "frame-ancestors 'self'" in csp
    assert "default-src 'none'" in csp
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert creative.pk


def test_the_iframe_document_gets_the_counted_click_url(slot, client):
    creative = CreativeFactory(html_ad=True)
    token = make_token(creative_id=creative.pk, slot_id=slot.pk)
    body = client.get(reverse("ads:frame", args=[token])).content.decode()
    assert f'href="http://testserver{reverse("ads:click", args=[token])}"' in body


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ('<a href="%%CLICK_URL%%">Los</a>', '<a href="{url}">Los</a>'),
        ('<a href="%%CLICK_URL_UNESC%%">Los</a>', '<a href="{url}">Los</a>'),
        (
            '<a href="https://adserver.example/c?dest=%%CLICK_URL_ESC%%">Los</a>',
            '<a href="https://adserver.example/c?dest={escaped}">Los</a>',
        ),
        ('<button onclick="window.open(clickTag)">Los</button>', 'var clickTag="{url}"'),
    ],
)
def test_html_creatives_find_the_counted_click_url_by_macro_or_click_tag(
    slot, client, tag, expected
):
    from urllib.parse import quote

    creative = CreativeFactory(html_ad=True, html=tag)
    token = make_token(creative_id=creative.pk, slot_id=slot.pk)
    url = f"http://testserver{reverse('ads:click', args=[token])}"
    body = client.get(reverse("ads:frame", args=[token])).content.decode()
    assert expected.format(url=url, escaped=quote(url, safe="")) in body
    assert "%%CLICK" not in body


def test_a_click_tag_cannot_close_its_script_element():
    from ads.rendering import click_tag_script

    script = click_tag_script("https://x.example/</script><script>alert(1)</script>")
    assert script.count("</script>") == 1 and script.endswith("</script>")


def test_only_html_creatives_are_served_as_frames(slot, client):
    text = CreativeFactory()
    token = make_token(creative_id=text.pk, slot_id=slot.pk)
    assert client.get(reverse("ads:frame", args=[token])).status_code == 404
    assert client.get(reverse("ads:frame", args=[token + "x"])).status_code == 400


def test_empty_slot_collapses(db):
    SlotFactory(code="article_top", fallback=Slot.Fallback.COLLAPSE)
    CreativeFactory(campaign=CampaignFactory(priority=Campaign.Priority.HOUSE))
    assert render('{% ad_slot "article_top" %}').strip() == ""


def test_unknown_or_inactive_slots_render_nothing(db):
    SlotFactory(code="article_top", is_active=False)
    CreativeFactory()
    assert render('{% ad_slot "article_top" %}{% ad_slot "nope" %}').strip() == ""


def test_page_type_is_taken_from_the_context(db):
    SlotFactory(code="home_top", page_types=[PageType.HOME])
    CreativeFactory()
    assert "ANZEIGE" in render('{% ad_slot "home_top" %}')
    assert render('{% ad_slot "home_top" %}', article=ArticleFactory(published=True)) == ""


def test_noscript_fallback_is_the_top_priority_creative(slot):
    CreativeFactory(headline="Standardanzeige")
    CreativeFactory(
        headline="Sponsoranzeige", campaign=CampaignFactory(priority=Campaign.Priority.SPONSORSHIP)
    )
    html = render('{% ad_slot "article_top" %}')
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    assert "Sponsoranzeige" in noscript and "Standardanzeige" not in noscript


def test_assets_are_included_once_per_page(all_slots):
    CreativeFactory()
    html = render('{% ad_slot "article_top" %}{% ad_slot "article_bottom" %}')
    assert html.count("js/ads.js") == 1
    assert html.count("css/ads.css") == 1
    assert len(slot_blocks(html)) == 2


def test_slot_between_list_items_renders_only_at_its_position(all_slots):
    CreativeFactory()
    html = render(
        '{% for i in items %}<li>{{ i }}</li>{% ad_slot "section_list" index=forloop.counter %}{% endfor %}',
        items=[1, 2, 3, 4, 5],
    )
    assert len(slot_blocks(html)) == 1
    assert html.index("<li>3</li>") < html.index("ad-slot") < html.index("<li>4</li>")


def test_inline_slot_goes_after_paragraph_n(all_slots):
    CreativeFactory()
    body = mark_safe("<p>Eins</p><p>Zwei</p><p>Drei</p>")
    html = render("{% ad_inline body %}", body=body, article=ArticleFactory(published=True))
    assert html.index("<p>Zwei</p>") < html.index("ANZEIGE") < html.index("<p>Drei</p>")
    short = render("{% ad_inline body %}", body=mark_safe("<p>Eins</p>"))
    assert short == "<p>Eins</p>"


def test_inline_slot_sanitises_an_unsafe_body(all_slots):
    CreativeFactory()
    html = render("{% ad_inline body %}", body="<p>a</p><script>x()</script><p>b</p><p>c</p>")
    assert "<script>x()" not in html
    assert "ANZEIGE" in html


def test_slot_endpoint_is_never_cached_and_counts_the_impression(slot, client):
    from ads import counting

    creative = CreativeFactory()
    response = client.get(
        reverse("ads:slot", args=["article_top"]) + "?p=article", HTTP_USER_AGENT=HUMAN_UA
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert json.loads(response.content)["creative"] == creative.pk
    assert [(k.kind, k.creative_id, v) for k, v in counting.pending().items()] == [
        ("i", creative.pk, 1)
    ]


def test_slot_endpoint_tells_the_script_to_collapse_when_nothing_runs(slot, client):
    data = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA).json()
    assert data == {"html": "", "collapse": True}


def test_ads_still_render_and_clicks_still_redirect_when_the_cache_is_down(
    slot, client, monkeypatch
):
    from ads import counting, selectors
    from ads.rendering import click_path

    class DownCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    creative = CreativeFactory()
    monkeypatch.setattr(selectors, "cache", DownCache())
    monkeypatch.setattr(counting, "counter_cache", DownCache)
    assert "ANZEIGE" in render('{% ad_slot "article_top" %}')
    fill = client.get(reverse("ads:slot", args=["article_top"]), HTTP_USER_AGENT=HUMAN_UA)
    assert fill.json()["creative"] == creative.pk
    response = client.get(
        click_path(creative_id=creative.pk, slot_id=slot.pk), HTTP_USER_AGENT=HUMAN_UA
    )
    assert response["Location"] == creative.click_url
