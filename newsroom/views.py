from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from newsroom.health import check_cache, check_database


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and cache status: 200 when both work, 503 naming what is down."""
    checks = {"database": check_database(), "cache": check_cache()}
    down = [name for name, error in checks.items() if error]
    payload = {
        "status": "ok" if not down else "down",
        "checks": {
            name: ("ok" if error is None else f"down: {error}") for name, error in checks.items()
        },
        "down": down,
    }
    return JsonResponse(payload, status=503 if down else 200)


def bench_floor(request: HttpRequest, size: int) -> HttpResponse:
    """Benchmark floor: a bare view returning ``size`` bytes of HTML through the
    full middleware stack. Routed only when NEWSROOM_BENCH_FLOOR is on."""
    filler = "<p>" + "x" * 96 + "</p>\n"
    body = (filler * (size // len(filler) + 1))[: max(size, 0)]
    return HttpResponse(body)
