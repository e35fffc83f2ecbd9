"""Reader-facing ad endpoints: fill a slot, count a click, serve a sandboxed tag.

None of these responses may be cached by a shared cache except the iframe
document (it is the same for everyone and changes only with the creative).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from django.core import signing
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ads import counting, traffic
from ads.models import Creative
from ads.rendering import (
    click_path,
    click_tag_script,
    expand_click_macros,
    make_view_token,
    read_ad_token,
    read_view_token,
)
from ads.selectors import PageContext, choose, eligible_set, open_for_reader

logger = logging.getLogger(__name__)

# The clock and the per-view draw, injectable: tests set their own
# (``monkeypatch.setattr(views, "clock", ...)``, a seeded ``random.Random``).
clock: Callable[[], datetime] = timezone.now
rng: random.Random = random.SystemRandom()

# The iframe document of a third-party tag: scripts only from https hosts
# (inline allowed: that is what ad tags are), no access to our origin (the
# iframe sandbox has no allow-same-origin, and the CSP sandboxes it again when
# opened directly), only our pages may frame it.
FRAME_CSP: dict[str, list[str] | str] = {
    "default-src": [CSP.NONE],
    "script-src": ["https:", CSP.UNSAFE_INLINE],
    "style-src": ["https:", CSP.UNSAFE_INLINE],
    "img-src": ["https:", "data:"],
    "media-src": ["https:"],
    "font-src": ["https:", "data:"],
    "connect-src": ["https:"],
    "frame-src": ["https:"],
    "form-action": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.SELF],
    "sandbox": "allow-scripts allow-popups allow-popups-to-escape-sandbox",
}


@require_GET
@never_cache
def slot_fill(request: HttpRequest, code: str) -> JsonResponse:
    """Choose this view's creative for slot ``code`` and count its impression
    (``slot_answer``). Old cached pages still call it; new ones ask for all their
    slots at once through ``newsroom.page_data``."""
    return JsonResponse(slot_answer(request, code, PageContext.from_query(request.GET)))


def slot_answer(request: HttpRequest, code: str, page: PageContext) -> dict[str, object]:
    """This view's creative for slot ``code`` on ``page``, its impression counted.

    Campaigns this reader has reached "at most N per day" of are left out.
    Zero database queries when the eligible set is cached; the impression goes
    to the cache buffer: valid ones count and use up the reader's cap, bots and
    data-center addresses are counted apart (``ads.traffic``), prefetches not at all.
    Answers ``{"html": "", "collapse": True}`` when nothing is left for this reader.
    """
    now = clock()
    eligible = eligible_set(code, page)
    visit = traffic.classify(request, now=now)
    chosen = choose(open_for_reader(eligible.candidates, visit=visit), rng=rng)
    if chosen is None or eligible.slot is None:
        return {"html": "", "collapse": True}
    answer: dict[str, object] = {"html": chosen.html, "creative": chosen.creative_id}
    creative_id, slot_id, section_id = chosen.creative_id, eligible.slot.id, page.section_id
    if visit.valid:
        counting.count_impression(creative_id=creative_id, slot_id=slot_id, section_id=section_id)
        if chosen.reader_cap:
            _use_cap(visit, chosen.campaign_id, now)
        # Only valid impressions can become viewable ones.
        answer["view"] = make_view_token(
            creative_id=creative_id,
            slot_id=slot_id,
            section_id=section_id,
            nonce=rng.getrandbits(64),
            issued=int(now.timestamp()),
        )
    elif visit.counted:
        counting.count_invalid(
            counting.IMPRESSION, creative_id=creative_id, slot_id=slot_id, section_id=section_id
        )
    return answer


MAX_BEACON_TOKENS = 50
MAX_BEACON_BYTES = 64 * 1024


@csrf_exempt  # a beacon carries no cookie-authenticated action: it only adds to counts
@require_POST
@never_cache
def viewed(request: HttpRequest) -> HttpResponse:
    """The viewability beacon of ``static/js/ads.js``: view tokens, one per line, of
    impressions at least half on screen for one second (IAB/MRC display rule).

    Each valid token counts one viewable impression, once: a token sent again by
    the same reader within the replay window is ignored, one from a bot or data
    center too; tampered, malformed or stale tokens are skipped. Answers 204.
    """
    if len(request.body) > MAX_BEACON_BYTES:
        return HttpResponseBadRequest()
    now = clock()
    visit = traffic.classify(request, now=now)
    if not visit.valid:
        return HttpResponse(status=204)
    lines = request.body.decode("utf-8", "replace").split()
    for token in lines[:MAX_BEACON_TOKENS]:
        try:
            creative_id, slot_id, section_id = read_view_token(token, now=int(now.timestamp()))
            once = traffic.check_replay(visit, kind=counting.VIEWABLE, token=token, now=now)
        except signing.BadSignature:
            continue
        except Exception:  # noqa: BLE001 - no cache: nothing can be counted anyway
            logger.warning("ads: could not check a view beacon", exc_info=True)
            break
        if once.valid:
            counting.count_viewable(creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    return HttpResponse(status=204)


def _use_cap(visit: traffic.Visit, campaign_id: int, now: datetime) -> None:
    try:
        traffic.use_cap(visit, campaign_id, now=now)
    except Exception:  # noqa: BLE001 - a cache outage loses a cap count, never the page
        logger.warning("ads: could not count a reader cap", exc_info=True)


def _count_token_request(
    request: HttpRequest, kind: str, token: str, ids: tuple[int, int, int]
) -> None:
    """Count a click or pixel impression that carries ``token``: valid, or apart as invalid
    (bot, data-center address, or the same token from the same reader within the window)."""
    now = clock()
    creative_id, slot_id, section_id = ids
    try:
        visit = traffic.check_replay(
            traffic.classify(request, now=now), kind=kind, token=token, now=now
        )
    except Exception:  # noqa: BLE001 - no cache: nothing can be counted anyway
        logger.warning("ads: could not check a replay", exc_info=True)
        return
    if visit.valid:
        counting.count_valid(kind, creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    elif visit.counted:
        counting.count_invalid(
            kind, creative_id=creative_id, slot_id=slot_id, section_id=section_id
        )


@require_GET
@never_cache
def click(request: HttpRequest, token: str) -> HttpResponse:
    """Count a click and redirect to the creative's own click URL.

    The target comes from the database, never from the request: a tampered
    token is a 400, an unknown creative a 404.
    """
    try:
        ids = read_ad_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(_("Ungültiger Anzeigen-Link."))
    creative_id = ids[0]
    target = Creative.objects.filter(pk=creative_id).values_list("click_url", flat=True).first()
    if not target:
        raise Http404(_("Diese Anzeige gibt es nicht mehr."))
    _count_token_request(request, counting.CLICK, token, ids)
    response = HttpResponseRedirect(target)
    response["Referrer-Policy"] = "origin"
    return response


# A transparent 1×1 GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@require_GET
@never_cache
def pixel(request: HttpRequest, token: str) -> HttpResponse:
    """Count the impression of the ``<noscript>`` creative (readers without JavaScript)."""
    try:
        ids = read_ad_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(_("Ungültiger Anzeigen-Link."))
    _count_token_request(request, counting.IMPRESSION, token, ids)
    return HttpResponse(PIXEL, content_type="image/gif")


@require_GET
@cache_control(public=True, max_age=300)
@xframe_options_sameorigin
@csp_override(FRAME_CSP)
def frame(request: HttpRequest, token: str) -> HttpResponse:
    """The document of a third-party HTML creative, for a sandboxed iframe only."""
    try:
        creative_id, slot_id, section_id = read_ad_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest(_("Ungültiger Anzeigen-Link."))
    creative = Creative.objects.filter(
        pk=creative_id, kind=Creative.Kind.HTML, is_active=True
    ).first()
    if creative is None:
        raise Http404(_("Diese Anzeige gibt es nicht mehr."))
    click_url = request.build_absolute_uri(
        click_path(creative_id=creative_id, slot_id=slot_id, section_id=section_id)
    )
    # The tag is third-party markup by design and runs only in this sandboxed
    # document, never in our pages; it is deliberately not sanitised.
    tag = expand_click_macros(creative.html, click_url)
    document = (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer">'
        "<style>html,body{margin:0;padding:0;overflow:hidden}</style>"
        f"{click_tag_script(click_url)}</head><body>{tag}</body></html>"
    )
    return HttpResponse(document, content_type="text/html; charset=utf-8")
