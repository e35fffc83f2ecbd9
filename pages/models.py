"""Static pages (Impressum, Datenschutz, ...): simple, editable by staff in the admin.

A separate app rather than a model in ``articles``: static pages are their own
feature with their own URL (/seite/<slug>/), and keeping their migrations apart
avoids clashing with the article model's migrations.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A static page. ``body`` holds HTML cleaned by ``core.sanitize.clean_body_html``."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel (URL)"), max_length=100, unique=True)
    body = models.TextField(
        _("Text"),
        blank=True,
        help_text=_("Wird beim Speichern bereinigt (nur erlaubte HTML-Tags)."),
    )
    show_in_footer = models.BooleanField(_("Im Fußbereich verlinken"), default=True)
    footer_order = models.PositiveSmallIntegerField(_("Reihenfolge im Fußbereich"), default=0)
    noindex = models.BooleanField(_("Nicht indexieren"), default=False)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")
        ordering = ["footer_order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pages:detail", kwargs={"slug": self.slug})
