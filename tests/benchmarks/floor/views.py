"""The floor's only page: one template rendered to ``FLOOR_PAGE_BYTES`` bytes."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

FILLER = "<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\n"


@lru_cache(maxsize=1)
def _filler() -> str:
    """Body text that brings the rendered template to the configured size."""
    frame = len(render_to_string("floor.html", {"title": "Floor", "filler": ""}).encode())
    missing = max(settings.FLOOR_PAGE_BYTES - frame, 0)
    return (FILLER * (missing // len(FILLER) + 1))[:missing]


def page(request: HttpRequest) -> HttpResponse:
    return render(request, "floor.html", {"title": "Floor", "filler": _filler()})


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
