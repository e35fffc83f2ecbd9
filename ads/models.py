"""Ads: slots (placements), advertisers, campaigns, creatives and daily statistics.

What a reader may be shown is decided in ``ads.selectors`` (running, targeted,
under caps); counting goes through the cache buffer in ``ads.counting`` and
lands aggregated in ``DailyStat``. Nothing here writes anything in ``save()``.
"""

from __future__ import annotations

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ads.validators import validate_ad_image


class PageType(models.TextChoices):
    HOME = "home", _("Startseite")
    SECTION = "section", _("Ressortseite")
    ARTICLE = "article", _("Artikelseite")
    SEARCH = "search", _("Suche")


class ChoiceArrayField(ArrayField):
    """An array of choices, edited as checkboxes in the admin (not as a comma list)."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield (it would force SimpleArrayField).
        return super(ArrayField, self).formfield(**defaults)


class Slot(models.Model):
    """A placement on the reader pages, addressed by its code in ``{% ad_slot %}``."""

    class Position(models.TextChoices):
        TOP = "top", _("Oben")
        INLINE = "inline", _("Im Artikel nach Absatz N")
        SIDEBAR = "sidebar", _("Neben dem Artikel")
        BELOW = "below", _("Unter dem Artikel")
        LIST = "list", _("Zwischen Listeneinträgen")

    class Fallback(models.TextChoices):
        HOUSE = "house", _("Eigenanzeige zeigen")
        COLLAPSE = "collapse", _("Platz einklappen")

    code = models.SlugField(
        _("Code"),
        max_length=40,
        unique=True,
        help_text=_("Wird im Template verwendet, z. B. „article_top“."),
    )
    name = models.CharField(_("Name"), max_length=100)
    page_types = ChoiceArrayField(
        models.CharField(max_length=10, choices=PageType.choices),
        verbose_name=_("Seitentypen"),
        default=list,
        blank=True,
        help_text=_("Leer bedeutet: auf allen Seitentypen."),
    )
    position = models.CharField(
        _("Position"), max_length=10, choices=Position.choices, default=Position.TOP
    )
    after_n = models.PositiveSmallIntegerField(
        _("Nach Absatz bzw. Eintrag Nr."),
        default=0,
        help_text=_("Nur für „Im Artikel“ und „Zwischen Listeneinträgen“."),
    )
    mobile_width = models.PositiveSmallIntegerField(
        _("Breite mobil (px)"), default=320, validators=[MinValueValidator(1)]
    )
    mobile_height = models.PositiveSmallIntegerField(
        _("Höhe mobil (px)"), default=100, validators=[MinValueValidator(1)]
    )
    desktop_width = models.PositiveSmallIntegerField(
        _("Breite Desktop (px)"), default=728, validators=[MinValueValidator(1)]
    )
    desktop_height = models.PositiveSmallIntegerField(
        _("Höhe Desktop (px)"), default=90, validators=[MinValueValidator(1)]
    )
    fallback = models.CharField(
        _("Wenn nichts gebucht ist"),
        max_length=10,
        choices=Fallback.choices,
        default=Fallback.HOUSE,
    )
    is_active = models.BooleanField(_("Aktiv"), default=True)

    class Meta:
        verbose_name = _("Werbeplatz")
        verbose_name_plural = _("Werbeplätze")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self):
        if self.position in (self.Position.INLINE, self.Position.LIST) and not self.after_n:
            raise ValidationError(
                {"after_n": _("Bitte angeben, nach welchem Absatz bzw. Eintrag die Anzeige steht.")}
            )


class Advertiser(models.Model):
    name = models.CharField(_("Name"), max_length=150, unique=True)
    contact_name = models.CharField(_("Ansprechpartner"), max_length=150, blank=True)
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    notes = models.TextField(_("Notizen"), blank=True)
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Werbekunde")
        verbose_name_plural = _("Werbekunden")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def running(self, *, at=None) -> CampaignQuerySet:
        """The one definition of "running": active, started and not yet ended."""
        now = at or timezone.now()
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            is_active=True,
            starts_at__lte=now,
        )


class Campaign(models.Model):
    class Priority(models.IntegerChoices):
        SPONSORSHIP = 30, _("Sponsoring")
        STANDARD = 20, _("Standard")
        HOUSE = 10, _("Eigenanzeige")

    advertiser = models.ForeignKey(
        Advertiser,
        verbose_name=_("Werbekunde"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    name = models.CharField(_("Name"), max_length=150)
    is_active = models.BooleanField(
        _("Aktiv"), default=True, help_text=_("Pausierte Kampagnen werden nicht ausgeliefert.")
    )
    starts_at = models.DateTimeField(_("Beginn"), default=timezone.now)
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("Priorität"), choices=Priority.choices, default=Priority.STANDARD
    )
    weight = models.PositiveSmallIntegerField(
        _("Gewichtung"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Anteil unter Kampagnen gleicher Priorität."),
    )
    slots = models.ManyToManyField(
        Slot,
        verbose_name=_("Werbeplätze"),
        blank=True,
        related_name="campaigns",
        help_text=_("Leer bedeutet: alle Werbeplätze."),
    )
    target_page_types = ChoiceArrayField(
        models.CharField(max_length=10, choices=PageType.choices),
        verbose_name=_("Seitentypen"),
        default=list,
        blank=True,
        help_text=_("Leer bedeutet: alle Seitentypen."),
    )
    target_sections = models.ManyToManyField(
        "articles.Section",
        verbose_name=_("Ressorts"),
        blank=True,
        related_name="+",
        help_text=_("Leer bedeutet: alle Ressorts."),
    )
    target_tags = models.ManyToManyField(
        "taggit.Tag",
        verbose_name=_("Schlagwörter"),
        blank=True,
        related_name="+",
        help_text=_("Leer bedeutet: ohne Schlagwort-Einschränkung."),
    )
    max_impressions = models.PositiveIntegerField(
        _("Max. Einblendungen gesamt"), null=True, blank=True
    )
    max_clicks = models.PositiveIntegerField(_("Max. Klicks gesamt"), null=True, blank=True)
    max_impressions_per_day = models.PositiveIntegerField(
        _("Max. Einblendungen pro Tag"), null=True, blank=True
    )
    max_per_reader_per_day = models.PositiveSmallIntegerField(
        _("Höchstens N pro Leser und Tag"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Ohne Cookie: gezählt über einen täglich wechselnden, pseudonymen Schlüssel "
            "(siehe docs/privacy.md). Leer bedeutet: ohne Begrenzung."
        ),
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kampagne")
        verbose_name_plural = _("Kampagnen")
        ordering = ["-starts_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advertiser}: {self.name}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende muss nach dem Beginn liegen.")})


# The widest creative a 375 px phone shows unclipped (page margins of 1rem each side,
# and 336 is the widest IAB mobile size, the "large rectangle").
MAX_MOBILE_WIDTH = 336


class Creative(models.Model):
    """One ad: an image, a text ad, or a third-party HTML tag (sandboxed iframe only)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Bild")
        TEXT = "text", _("Textanzeige")
        HTML = "html", _("HTML-Tag (Drittanbieter)")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("Kampagne"), on_delete=models.CASCADE, related_name="creatives"
    )
    name = models.CharField(_("Name"), max_length=150)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.IMAGE)
    is_active = models.BooleanField(_("Aktiv"), default=True)
    click_url = models.URLField(
        _("Ziel-URL"),
        max_length=500,
        help_text=_("Wohin ein Klick führt (über eine signierte Weiterleitung gezählt)."),
    )
    image = models.ImageField(
        _("Bild"),
        upload_to="ads/%Y/%m/",
        width_field="image_width",
        height_field="image_height",
        blank=True,
        validators=[validate_ad_image],
        help_text=_("JPEG, PNG oder WebP, höchstens 2 MB."),
    )
    image_width = models.PositiveIntegerField(_("Bildbreite"), default=0, editable=False)
    image_height = models.PositiveIntegerField(_("Bildhöhe"), default=0, editable=False)
    image_mobile = models.ImageField(
        _("Bild für Mobilgeräte"),
        upload_to="ads/%Y/%m/",
        width_field="image_mobile_width",
        height_field="image_mobile_height",
        blank=True,
        validators=[validate_ad_image],
        help_text=_("Optional; wird auf schmalen Bildschirmen gezeigt."),
    )
    image_mobile_width = models.PositiveIntegerField(default=0, editable=False)
    image_mobile_height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=250,
        blank=True,
        help_text=_("Pflicht bei Bildanzeigen: beschreibt das Bild."),
    )
    headline = models.CharField(_("Überschrift"), max_length=100, blank=True)
    text = models.CharField(_("Text"), max_length=300, blank=True)
    html = models.TextField(
        _("HTML-Tag"),
        blank=True,
        help_text=_(
            "Wird ausschließlich in einem abgeschotteten iframe ausgeliefert. "
            "%%CLICK_URL%% wird durch die gezählte Klick-URL ersetzt (%%CLICK_URL_ESC%% "
            "URL-kodiert); Tags nach der clickTag-Konvention finden sie in der Variablen "
            "clickTag."
        ),
    )
    # The sizes an HTML creative declares per breakpoint (phones below 768 px, larger
    # screens from 768 px); empty: the slot's reserved size. The iframe takes exactly
    # this size, so the tag lays itself out for it and is never squeezed or clipped.
    mobile_width = models.PositiveSmallIntegerField(
        _("Breite mobil (px)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MOBILE_WIDTH)],
        help_text=_("Höchstens 336 px: passt auf 375 px breite Telefone."),
    )
    mobile_height = models.PositiveSmallIntegerField(
        _("Höhe mobil (px)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    desktop_width = models.PositiveSmallIntegerField(
        _("Breite Desktop (px)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    desktop_height = models.PositiveSmallIntegerField(
        _("Höhe Desktop (px)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)

    class Meta:
        # The same word in German for one and many: the context tells English apart.
        verbose_name = pgettext_lazy("singular", "Werbemittel")
        verbose_name_plural = pgettext_lazy("plural", "Werbemittel")
        ordering = ["campaign", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.kind == self.Kind.IMAGE:
            if not self.image:
                errors["image"] = _("Eine Bildanzeige braucht ein Bild.")
            if not self.alt_text.strip():
                errors["alt_text"] = _("Eine Bildanzeige braucht einen Alternativtext.")
        elif self.kind == self.Kind.TEXT:
            if not self.headline.strip():
                errors["headline"] = _("Eine Textanzeige braucht eine Überschrift.")
            if not self.text.strip():
                errors["text"] = _("Eine Textanzeige braucht einen Text.")
        elif self.kind == self.Kind.HTML and not self.html.strip():
            errors["html"] = _("Ein HTML-Werbemittel braucht den HTML-Tag.")
        for width, height in (
            ("mobile_width", "mobile_height"),
            ("desktop_width", "desktop_height"),
        ):
            if (getattr(self, width) is None) != (getattr(self, height) is None):
                errors[height if getattr(self, width) else width] = _(
                    "Bitte Breite und Höhe angeben (oder beide leer lassen)."
                )
        if errors:
            raise ValidationError(errors)


class DailyStat(models.Model):
    """Impressions and clicks of one creative in one slot and section on one (Berlin) day.

    ``impressions`` and ``clicks`` are the valid, billable ones; invalid traffic
    and viewable impressions are columns of their own.
    """

    creative = models.ForeignKey(
        Creative, verbose_name=_("Werbemittel"), on_delete=models.CASCADE, related_name="stats"
    )
    slot = models.ForeignKey(
        Slot, verbose_name=_("Werbeplatz"), on_delete=models.CASCADE, related_name="stats"
    )
    # The section of the page the ad was on (none: home, search). No database
    # constraint: statistics outlive a deleted section, the report names it "–".
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("Ressort"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    day = models.DateField(_("Tag"))
    impressions = models.PositiveBigIntegerField(_("Einblendungen"), default=0)
    clicks = models.PositiveBigIntegerField(_("Klicks"), default=0)
    # Measured in the browser (half the creative on screen for one second).
    viewable_impressions = models.PositiveBigIntegerField(_("Sichtbare Einblendungen"), default=0)
    # Bots, data-center addresses and replays: counted apart, never billed, never
    # using up a cap (ads.traffic).
    invalid_impressions = models.PositiveBigIntegerField(_("Ungültige Einblendungen"), default=0)
    invalid_clicks = models.PositiveBigIntegerField(_("Ungültige Klicks"), default=0)

    class Meta:
        verbose_name = _("Tagesstatistik")
        verbose_name_plural = _("Tagesstatistiken")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["creative", "slot", "section", "day"],
                name="unique_ad_stat_per_day",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["day"], name="ad_stat_day")]
        permissions = [("view_report", _("Kann Anzeigen-Berichte sehen"))]

    def __str__(self) -> str:
        return f"{self.day} {self.creative_id}/{self.slot_id}"
