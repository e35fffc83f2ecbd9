"""CKEditor image uploads through our Pillow validation (replaces django-ckeditor's view).

django-ckeditor's own upload view checks only the file name and answers with
an inline script CSP blocks. Ours validates and cleans the image
(``articles.images.normalise_upload``), stores it under ``CKEDITOR_UPLOAD_PATH``
and answers CKEditor with a nonce'd script (file dialog) or JSON (drag & drop).
"""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.images import normalise_upload
from core.parsing import parse_int

CKEDITOR_FUNC_NUM_MAX = 2**31 - 1  # a JavaScript array index of CKEditor's callbacks


def _script_response(request, func_num: int, url: str, message: str) -> HttpResponse:
    nonce = getattr(request, "csp_nonce", "")
    arguments = json.dumps([url, message]).replace("<", "\\u003c")
    return HttpResponse(
        f'<script nonce="{escape(nonce)}">window.parent.CKEDITOR.tools.callFunction('
        f"{func_num}, ...{arguments});</script>"
    )


# CKEditor 4 posts without Django's CSRF token. The session cookie is
# SameSite=Lax, so a cross-site POST arrives without a session and fails the
# staff check; we additionally refuse requests a browser marks as cross-site.
@csrf_exempt
@require_POST
@staff_member_required
def ckeditor_upload(request):
    """Validate, clean and store an image uploaded from the editor. No database writes."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        raise PermissionDenied
    if not request.user.has_perm("articles.add_image"):
        raise PermissionDenied
    # CKEditor's callback number (file dialog); absent for drag & drop.
    func_num = parse_int(request.GET.get("CKEditorFuncNum", ""), maximum=CKEDITOR_FUNC_NUM_MAX)
    upload = request.FILES.get("upload")
    try:
        if upload is None:
            raise ValidationError(_("Keine Datei empfangen."))
        clean = normalise_upload(upload)
    except ValidationError as error:
        message = " ".join(error.messages)
        if func_num is not None:
            return _script_response(request, func_num, "", message)
        return JsonResponse({"uploaded": 0, "error": {"message": message}}, status=400)
    folder = settings.CKEDITOR_UPLOAD_PATH.rstrip("/")
    name = default_storage.save(f"{folder}/{date.today():%Y/%m}/{clean.name}", clean)
    url = default_storage.url(name)
    if func_num is not None:
        return _script_response(request, func_num, url, "")
    return JsonResponse({"uploaded": 1, "fileName": name.rsplit("/", 1)[-1], "url": url})
