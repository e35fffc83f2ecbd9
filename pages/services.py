"""Writes to static pages (Impressum, Datenschutz, ...): the admin calls these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.richtext import same_html
from core.sanitize import clean_body_html
from pages.models import Page


def page_save(*, actor: Any, page: Page) -> Page:
    """Create or update a static page with its body sanitised like an article body.

    Needs ``pages.add_page`` (new page) or ``pages.change_page``. A body that
    differs from the stored one only in serialisation (CKEditor's, see
    ``core.richtext``) keeps the stored text; a page with nothing changed is not
    written at all (no audit entry, no purge). Side effects: an audit entry; the
    ``post_save`` handler of ``newsroom.signals`` makes the cached reader pages
    stale (the footer lists the pages). Queries: one more (the stored row) on update.
    """
    created = page.pk is None
    perm = "pages.add_page" if created else "pages.change_page"
    if not (actor.is_authenticated and actor.is_active and actor.has_perm(perm)):
        raise PermissionDenied(_("Sie dürfen diese Seite nicht bearbeiten."))
    with transaction.atomic():
        stored = None if created else Page.objects.select_for_update().filter(pk=page.pk).first()
        if stored is not None and same_html(page.body, stored.body):
            page.body = stored.body
        else:
            page.body = clean_body_html(page.body)
        if stored is not None and _same_content(page, stored):
            return page
        page.full_clean()
        page.save()
        audit_log(actor=actor, target=page, action="page.create" if created else "page.update")
    return page


def _same_content(page: Page, stored: Page) -> bool:
    """True when saving ``page`` would write what is stored (``updated_at`` aside)."""
    return all(
        getattr(page, field.attname) == getattr(stored, field.attname)
        for field in Page._meta.concrete_fields
        if field.name != "updated_at"
    )
