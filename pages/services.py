"""Writes to static pages (Impressum, Datenschutz, ...): the admin calls these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.sanitize import clean_body_html
from pages.models import Page


def page_save(*, actor: Any, page: Page) -> Page:
    """Create or update a static page with its body sanitised like an article body.

    Needs ``pages.add_page`` (new page) or ``pages.change_page``. Side effects:
    an audit entry; the ``post_save`` handler of ``newsroom.signals`` makes the
    cached reader pages stale (the footer lists the pages).
    """
    created = page.pk is None
    perm = "pages.add_page" if created else "pages.change_page"
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied(_("Sie dürfen diese Seite nicht bearbeiten."))
    with transaction.atomic():
        page.body = clean_body_html(page.body)
        page.full_clean()
        page.save()
        audit_log(actor=actor, target=page, action="page.create" if created else "page.update")
    return page
