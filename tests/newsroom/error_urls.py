"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from newsroom.urls import handler400, handler403, handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a malformed request")


def crash(request):
    raise RuntimeError("a bug")


def crash_after_login_check(request):
    """Fails after the view looked at the user (as admin views do)."""
    if request.user.is_authenticated:
        raise RuntimeError("a bug for a logged-in user")
    raise RuntimeError("a bug")


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed")


def remember(request):
    """No query in the view; the session is saved afterwards, by SessionMiddleware."""
    from django.http import HttpResponse

    request.session["gemerkt"] = True
    return HttpResponse("gemerkt")


urlpatterns = [
    *i18n_patterns(
        path("fehler/403/", refuse),
        path("fehler/400/", suspicious),
        path("fehler/500/", crash),
        path("fehler/500/angemeldet/", crash_after_login_check),
        path("fehler/503/", database_gone),
        path("fehler/sitzung/", remember),
        prefix_default_language=False,
    ),
    *site_urlpatterns,
]
