"""``/seitendaten/``: everything per reader a cached page needs, in one request.

The article page is cached and the same HTML for every reader; what differs per
reader and view (the creative of each ad slot, the comment form's CSRF token,
timestamp and remembered name) used to come from one request per slot plus the
comment session. ``static/js/page.js`` asks here once instead, only when the page
has ad slots or a comment form, and hands the parts to ``ads.js`` and ``comments.js``.

Each part is the per-part endpoint's own code (``ads.views.slot_answer``,
``comments.views.session_data``), so counting, reader caps, invalid traffic and
the CSRF cookie behave exactly as there. The old endpoints stay for pages cached
before this one existed.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ads.selectors import PageContext
from ads.views import slot_answer
from comments.views import session_data

# More slots than any page has: a request for more is cut, never an error.
MAX_SLOTS = 12
# The per-slot URL's ``<slug:code>``.
SLOT_CODE = re.compile(r"[-a-zA-Z0-9_]+")


@require_GET
@never_cache
def page_data(request: HttpRequest) -> JsonResponse:
    """``?slot=<code>?<page query>`` (repeated, in page order) and ``session=1``.

    Answers ``{"slots": [<slot answer>, ...], "session": {...}}`` with only the
    parts asked for; ``slots`` in the order of the ``slot`` parameters. A slot's
    page query (``p``, ``s``, ``t`` as in ``data-ad-src``) travels with its code
    because slots on one page may target differently (list slots inside a loop).
    """
    answer: dict[str, object] = {}
    wanted = request.GET.getlist("slot")[:MAX_SLOTS]
    if wanted:
        answer["slots"] = [_slot(request, value) for value in wanted]
    if request.GET.get("session") == "1":
        answer["session"] = session_data(request)
    return JsonResponse(answer)


def _slot(request: HttpRequest, value: str) -> dict[str, object]:
    code, _sep, query = value.partition("?")
    if not SLOT_CODE.fullmatch(code):
        return {"html": "", "collapse": True}
    return slot_answer(request, code, PageContext.from_query(QueryDict(query)))
