"""Cross-app middleware."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """When PostgreSQL cannot be reached, answer the calm 503 page with
    ``Retry-After`` instead of a stack trace (``handler500`` does the same for
    errors outside the views, e.g. in another middleware). Django reconnects on the next
    request by itself, so service resumes as soon as the database is back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from core.views import is_database_outage, service_unavailable

        if not is_database_outage(exception):
            return None
        logger.error("database unavailable: %s", exception.__class__.__name__)
        return service_unavailable(request)


def _hosts_rich_text_editor(response: HttpResponse) -> bool:
    """True when an admin page renders a form with a CKEditor widget (the add and
    change pages of articles and static pages, also after a failed save, and custom
    admin views that put a form into their context, such as the ticker's entry desk)."""
    from ckeditor.widgets import CKEditorWidget  # the uploading widget subclasses it
    from django.forms import BaseForm

    context = getattr(response, "context_data", None) or {}
    forms = [value for value in context.values() if isinstance(value, BaseForm)]
    adminform = context.get("adminform")
    if adminform is not None:
        forms.append(adminform.form)
    for inline in context.get("inline_admin_formsets") or ():
        forms.append(inline.formset.empty_form)
    return any(
        isinstance(field.widget, CKEditorWidget) for form in forms for field in form.fields.values()
    )


class AdminEditorCSPMiddleware:
    """Relax the Content Security Policy only where CKEditor runs: for logged-in
    staff, on admin pages that host the editor and on its ``/ckeditor/`` pages.

    CKEditor 4 (django-ckeditor) writes inline event handlers into its toolbar
    and an inline script into its editing iframe, which a nonce-based policy
    blocks (the editor never becomes ready). Those responses get
    ``settings.ADMIN_EDITOR_CSP`` instead (``'unsafe-inline'`` scripts, no nonce,
    since a nonce disables ``'unsafe-inline'``). Every other admin page (lists,
    dashboards, the 2FA pages, forms without the editor), anonymous requests, the
    login page and every reader page keep the strict ``SECURE_CSP``. Must sit after
    ``ContentSecurityPolicyMiddleware`` so it sees the response first.
    """

    PREFIXES = ("/admin/", "/ckeditor/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.path.startswith(self.PREFIXES)
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not hasattr(response, "_csp_config")  # a view's own csp_override wins
            and (request.path.startswith("/ckeditor/") or _hosts_rich_text_editor(response))
        ):
            # The attribute Django's csp_override decorator sets; the stubs do not declare it.
            response._csp_config = settings.ADMIN_EDITOR_CSP  # type: ignore[attr-defined]
        return response


class AdminLanguageMiddleware:
    """The admin speaks each editor's language (``core.languages.admin_language``).

    ``LocaleMiddleware`` gives every URL without a language prefix German,
    which is right for reader pages (their language is in the URL) but made
    the admin German for everybody. For ``/admin/`` and ``/ckeditor/`` this
    activates the editor's profile setting, language cookie or browser
    language instead. Must sit after ``AuthenticationMiddleware`` (it reads the
    user) and inside ``LocaleMiddleware`` (whose response step then names the
    language in ``Content-Language``). Admin answers vary on the browser
    language and the cookies (session, language cookie).
    """

    PREFIXES = ("/admin/", "/ckeditor/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(self.PREFIXES):
            return self.get_response(request)
        from core.languages import admin_language

        translation.activate(admin_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
