"""``{% ad_slot "code" %}``: a labelled, space-reserving ad slot that works in cached pages.

Design (pages are cached and served identically to every reader):

* The tag renders the slot container — the label "ANZEIGE", the reserved size
  per breakpoint and, inside ``<noscript>``, the first eligible creative — and
  nothing that differs per reader. This HTML may sit in a shared page cache.
* ``static/js/ads.js`` asks ``/anzeigen/slot/<code>/?p=…&s=…&t=…`` (never
  cached) when the slot comes near the viewport. That view picks the creative
  for this view (priority, then weighted random) from the cached eligible set,
  counts the impression in the cache buffer (not for bots) and answers the
  creative's HTML, which the script puts under the label.
* Without JavaScript the reader sees the ``<noscript>`` creative; a 1×1 image
  next to it counts its impression, clicks count through the signed redirect.

Options: ``page_type="article"`` (else guessed from the context: ``article``,
``section``, ``query``/``search`` in the context, otherwise home),
``index=forloop.counter`` renders only at the slot's configured position (for
slots between list items or paragraphs). ``{% ad_inline body_html %}`` puts the
``article_inline`` slot after paragraph N of an (already sanitised) body.
"""

from __future__ import annotations

import re

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeData, mark_safe

from ads.models import PageType
from ads.rendering import make_token
from ads.selectors import PageContext, eligible_set

register = template.Library()

_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)


def _tag_ids(article) -> tuple[int, ...]:
    cached = getattr(article, "_ads_tag_ids", None)
    if cached is None:
        # Uses prefetched tags when the view prefetched them; else one query per page.
        cached = tuple(tag.pk for tag in article.tags.all())
        article._ads_tag_ids = cached
    return cached


def page_context_from(context, page_type: str | None = None) -> PageContext:
    """Targeting data of the page being rendered, from its template context."""
    article = context.get("article")
    section = context.get("section")
    if page_type is None:
        if article is not None:
            page_type = PageType.ARTICLE
        elif section is not None and hasattr(section, "pk"):
            page_type = PageType.SECTION
        elif (
            "query" in context or "search" in context or "search_query" in context or "q" in context
        ):
            page_type = PageType.SEARCH
        else:
            page_type = PageType.HOME
    if page_type == PageType.ARTICLE and article is not None:
        return PageContext(page_type, article.section_id, _tag_ids(article))
    if section is not None and hasattr(section, "pk"):
        return PageContext(page_type, section.pk)
    return PageContext(page_type)


def render_slot(code: str, page: PageContext, *, request=None, index: int | None = None) -> str:
    """The slot container for ``code`` on ``page`` (empty when it collapses)."""
    eligible = eligible_set(code, page)
    slot = eligible.slot
    if slot is None or not eligible.candidates:
        return ""
    if index is not None and index != slot.after_n:
        return ""
    include_assets = True
    if request is not None:
        include_assets = not getattr(request, "_ads_assets_included", False)
        request._ads_assets_included = True
    fallback = eligible.fallback
    return render_to_string(
        "ads/slot.html",
        {
            "slot": slot,
            "src": reverse("ads:slot", kwargs={"code": slot.code}) + "?" + page.query(),
            # Our own template's output (see ads.rendering), never a raw tag.
            "fallback_html": mark_safe(fallback.html) if fallback else "",  # noqa: S308
            "pixel_url": reverse(
                "ads:pixel",
                kwargs={
                    "token": make_token(
                        creative_id=fallback.creative_id,
                        slot_id=slot.id,
                        section_id=page.section_id,
                    )
                },
            )
            if fallback
            else "",
            "include_assets": include_assets,
        },
    )


@register.simple_tag(takes_context=True)
def ad_slot(context, code: str, page_type: str | None = None, index: int | None = None) -> str:
    page = page_context_from(context, page_type)
    return mark_safe(render_slot(code, page, request=context.get("request"), index=index))  # noqa: S308


@register.simple_tag(takes_context=True)
def ad_inline(context, body_html: str, code: str = "article_inline") -> str:
    """``body_html`` with the slot ``code`` after paragraph N (the slot's ``after_n``).

    Expects the already sanitised body (a safe string); anything else is
    sanitised here first. Bodies shorter than N paragraphs get no inline ad.
    """
    if not isinstance(body_html, SafeData):
        from core.sanitize import clean_body_html

        body_html = clean_body_html(str(body_html))
    body_html = str(body_html)
    page = page_context_from(context, PageType.ARTICLE)
    eligible = eligible_set(code, page)
    if eligible.slot is None or not eligible.candidates or eligible.slot.after_n < 1:
        return mark_safe(body_html)  # noqa: S308
    ends = list(_PARAGRAPH_END.finditer(body_html))
    if len(ends) < eligible.slot.after_n:
        return mark_safe(body_html)  # noqa: S308
    cut = ends[eligible.slot.after_n - 1].end()
    slot_html = render_slot(code, page, request=context.get("request"))
    return mark_safe(body_html[:cut] + slot_html + body_html[cut:])  # noqa: S308
