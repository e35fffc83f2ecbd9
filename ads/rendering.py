"""HTML for slots and creatives, and the signed tokens their links carry.

The label "ANZEIGE" and the separation from editorial content belong to the
slot template (``ads/slot.html``), outside anything a creative contributes, so
no creative and no slot setting can remove them. Third-party HTML tags are
never put into the page: a creative of that kind renders as a sandboxed iframe
whose document is served by ``ads.views.frame`` with its own restrictive CSP.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from ads.models import MAX_MOBILE_WIDTH, Creative, Slot

TOKEN_SALT = "ads.click"  # noqa: S105 (a signing salt, not a secret)
SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"


def make_token(*, creative_id: int, slot_id: int, section_id: int | None = None) -> str:
    """A signed, deterministic token naming a creative, a slot and the page's section
    (for the report; left out when there is none). No target URL in it."""
    data = {"c": creative_id, "s": slot_id}
    if section_id:
        data["x"] = section_id
    return signing.Signer(salt=TOKEN_SALT).sign_object(data)


def read_ad_token(token: str) -> tuple[int, int, int]:
    """Creative, slot and section id (0: none) of a token; raises ``signing.BadSignature``
    when tampered or malformed."""
    data = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    try:
        return int(data["c"]), int(data["s"]), int(data.get("x", 0))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed ad token") from exc


def read_token(token: str) -> tuple[int, int]:
    """Creative and slot id of a token; raises ``signing.BadSignature`` when tampered."""
    creative_id, slot_id, _section_id = read_ad_token(token)
    return creative_id, slot_id


VIEW_SALT = "ads.view"  # noqa: S105 (a signing salt, not a secret)
VIEW_TOKEN_MAX_AGE = 3600  # a beacon for a view older than an hour is not believed


def make_view_token(
    *, creative_id: int, slot_id: int, section_id: int | None, nonce: int, issued: int
) -> str:
    """A signed token for one served impression (creative, slot, section, a per-view
    nonce and the time it was served, in epoch seconds), sent back by the viewability
    beacon."""
    return signing.Signer(salt=VIEW_SALT).sign_object(
        {"c": creative_id, "s": slot_id, "x": section_id or 0, "n": nonce, "t": issued}
    )


def read_view_token(token: str, *, now: int) -> tuple[int, int, int]:
    """Creative, slot and section id of a view token served at most
    ``VIEW_TOKEN_MAX_AGE`` before ``now``; raises ``signing.BadSignature`` when
    tampered, malformed or too old."""
    data = signing.Signer(salt=VIEW_SALT).unsign_object(token)
    try:
        creative_id, slot_id, issued = int(data["c"]), int(data["s"]), int(data["t"])
        section_id = int(data.get("x", 0))
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed view token") from exc
    if not 0 <= now - issued <= VIEW_TOKEN_MAX_AGE:
        raise signing.BadSignature("view token expired")
    return creative_id, slot_id, section_id


def click_path(*, creative_id: int, slot_id: int, section_id: int | None = None) -> str:
    token = make_token(creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    return reverse("ads:click", kwargs={"token": token})


def frame_path(*, creative_id: int, slot_id: int, section_id: int | None = None) -> str:
    token = make_token(creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    return reverse("ads:frame", kwargs={"token": token})


# The macros ad servers put into third-party tags for "the counted click URL".
CLICK_MACROS = ("%%CLICK_URL%%", "%%CLICK_URL_UNESC%%")
CLICK_MACRO_ESCAPED = "%%CLICK_URL_ESC%%"  # URL-encoded, for tags that append it to their own


def expand_click_macros(tag: str, click_url: str) -> str:
    """``tag`` with the click macros replaced by ``click_url`` (the signed redirect)."""
    for macro in CLICK_MACROS:
        tag = tag.replace(macro, click_url)
    return tag.replace(CLICK_MACRO_ESCAPED, quote(click_url, safe=""))


def click_tag_script(click_url: str) -> str:
    """``<script>`` defining ``clickTag`` (the IAB/Google convention: the creative calls
    ``window.open(clickTag)``), as JSON that cannot close the script element."""
    value = json.dumps(click_url).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<script>var clickTag={value},clickTAG=clickTag;</script>"


def html_sizes(creative: Creative, slot: Slot) -> dict[str, int]:
    """The iframe size of an HTML creative per breakpoint: what it declares, else the
    slot's; the phone width never above ``MAX_MOBILE_WIDTH``."""
    mobile_width = creative.mobile_width or slot.mobile_width
    mobile_height = creative.mobile_height or slot.mobile_height
    if mobile_width > MAX_MOBILE_WIDTH:  # a wide slot: keep the proportions, fit the phone
        mobile_height = round(mobile_height * MAX_MOBILE_WIDTH / mobile_width)
        mobile_width = MAX_MOBILE_WIDTH
    return {
        "mw": mobile_width,
        "mh": mobile_height,
        "dw": creative.desktop_width or slot.desktop_width,
        "dh": creative.desktop_height or slot.desktop_height,
    }


def render_creative(creative: Creative, slot: Slot, *, section_id: int | None = None) -> str:
    """The creative's markup for ``slot`` on a page of ``section_id`` (no label: the
    slot template adds it)."""
    context = {
        "creative": creative,
        "slot": slot,
        "click_url": click_path(creative_id=creative.pk, slot_id=slot.pk, section_id=section_id),
        "sandbox": SANDBOX,
    }
    if creative.kind == Creative.Kind.HTML:
        context["frame_url"] = frame_path(
            creative_id=creative.pk, slot_id=slot.pk, section_id=section_id
        )
        context["sizes"] = html_sizes(creative, slot)
    return render_to_string("ads/partials/creative.html", context).strip()
