from django.http import HttpRequest, JsonResponse
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
