"""Live tickers: an article with a ``Ticker`` row is a live ticker; it grows by
``TickerEntry`` rows. ``BreakingNews`` is the optional banner on every page.

What readers see of the entries is defined once, in ``TickerEntryQuerySet.published()``.
State changes happen in ``ticker.services``, never in ``save()``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Image


class Ticker(models.Model):
    """The ticker flag of an article. Coverage runs from ``started_at`` until a
    closing entry sets ``ended_at``; afterwards the page stays as an archive."""

    article = models.OneToOneField(
        Article,
        verbose_name=_("Artikel"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="ticker",
    )
    started_at = models.DateTimeField(_("Beginn der Berichterstattung"), default=timezone.now)
    ended_at = models.DateTimeField(_("Ende der Berichterstattung"), null=True, blank=True)

    class Meta:
        verbose_name = _("Liveticker")
        verbose_name_plural = _("Liveticker")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.article.headline

    @property
    def is_running(self) -> bool:
        return self.ended_at is None


class TickerEntryQuerySet(models.QuerySet["TickerEntry"]):
    def published(self) -> TickerEntryQuerySet:
        """The one definition of "readers see this entry": published, not held for review.

        The ticker's article itself must be visible too; the reader views ask
        ``Article.objects.published()`` for that.
        """
        return self.filter(status=TickerEntry.Status.PUBLISHED)


class TickerEntry(models.Model):
    """One timestamped entry of a ticker: short sanitised text, an optional picture."""

    class Status(models.TextChoices):
        REVIEW = "review", _("Wartet auf Freigabe")
        PUBLISHED = "published", _("Veröffentlicht")

    ticker = models.ForeignKey(
        Ticker, verbose_name=_("Liveticker"), on_delete=models.CASCADE, related_name="entries"
    )
    time = models.DateTimeField(_("Zeit"), default=timezone.now)
    body = models.TextField(_("Text"), max_length=5000)
    image = models.ForeignKey(
        Image,
        verbose_name=_("Bild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_event = models.BooleanField(
        _("Schlüsselereignis"),
        default=False,
        help_text=_("Erscheint oben in der Zusammenfassung."),
    )
    pinned = models.BooleanField(
        _("Angeheftet"), default=False, help_text=_("Steht über allen anderen Einträgen.")
    )
    closing = models.BooleanField(
        _("Schlusseintrag"),
        default=False,
        help_text=_("Beendet den Liveticker; die Seite bleibt als Archiv lesbar."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    corrected_at = models.DateTimeField(_("Korrigiert"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)

    objects = TickerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Tickereintrag")
        verbose_name_plural = _("Tickereinträge")
        # Readers' order: the pinned entry first, then newest first.
        ordering = ["-pinned", "-time", "-id"]
        permissions = [
            ("publish_tickerentry", _("Kann Tickereinträge veröffentlichen")),
        ]
        indexes = [
            models.Index(fields=["ticker", "status", "-time"], name="tickerentry_ticker_time"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.time):%H:%M} {self.ticker_id}"


class BreakingNews(models.Model):
    """The breaking-news banner on every reader page; at most one is active."""

    text = models.CharField(_("Text"), max_length=200)
    url = models.CharField(
        _("Link"),
        max_length=500,
        blank=True,
        help_text=_("Eine Seite dieser Website, z. B. /politik/wahl/."),
    )
    active = models.BooleanField(_("Aktiv"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Gesetzt"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("Entfernt"), null=True, blank=True)

    class Meta:
        verbose_name = _("Eilmeldung")
        verbose_name_plural = _("Eilmeldungen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_breaking_news"
            )
        ]

    def __str__(self) -> str:
        return self.text
