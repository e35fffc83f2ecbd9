"""Views of the composition root: only the benchmark floor (error pages and
``/healthz`` live in core)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def bench_floor(request: HttpRequest, size: int) -> HttpResponse:
    """Benchmark floor: a bare view returning ``size`` bytes of HTML through the
    full middleware stack. Routed only when NEWSROOM_BENCH_FLOOR is on."""
    filler = "<p>" + "x" * 96 + "</p>\n"
    body = (filler * (size // len(filler) + 1))[: max(size, 0)]
    return HttpResponse(body)
