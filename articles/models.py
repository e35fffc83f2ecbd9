"""The newsroom's content model: sections, authors, agencies, images, articles,
their related content, corrections, revisions and old URLs.

What readers may see is defined once, in ``ArticleQuerySet.published()``.
State changes happen in ``articles.services``, never in ``save()``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager

from articles.tags import ArticleTagManager
from core.links import cached_reverse


class Section(models.Model):
    """A Ressort (Politik, Wirtschaft, ...)."""

    name = models.CharField(_("Name"), max_length=80, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Ressort")
        verbose_name_plural = _("Ressorts")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:section", kwargs={"section": self.slug})


class Agency(models.Model):
    """A news agency credited as the source of a report, e.g. "dpa"."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    credit = models.CharField(
        _("Kurzzeichen"), max_length=20, unique=True, help_text=_("Erscheint als „(dpa)“.")
    )
    licence_days = models.PositiveIntegerField(
        _("Lizenzdauer (Tage)"),
        null=True,
        blank=True,
        help_text=_(
            "So lange dürfen Artikel dieser Agentur ab der ersten Veröffentlichung online "
            "bleiben; danach zieht ein regelmäßiger Job sie zurück. Leer: unbegrenzt."
        ),
    )

    class Meta:
        verbose_name = _("Agentur")
        verbose_name_plural = _("Agenturen")
        ordering = ["credit"]

    def __str__(self) -> str:
        return self.credit


class Image(models.Model):
    """An uploaded picture with the metadata a newsroom must keep.

    Uploads are validated and normalised by ``articles.images`` (Pillow);
    renditions for ``srcset`` are made once and stored as ``ImageRendition``.
    """

    file = models.ImageField(
        _("Datei"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("Breite"), editable=False, default=0)
    height = models.PositiveIntegerField(_("Höhe"), editable=False, default=0)
    alt_text = models.CharField(
        _("Alternativtext"),
        max_length=250,
        help_text=_("Beschreibt das Bild für Menschen, die es nicht sehen."),
    )
    caption = models.CharField(_("Bildunterschrift"), max_length=300, blank=True)
    credit = models.CharField(_("Bildnachweis"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("Fokus X"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 = linker Rand, 1 = rechter Rand"),
    )
    focal_y = models.FloatField(
        _("Fokus Y"),
        default=0.5,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0 = oberer Rand, 1 = unterer Rand"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Hochgeladen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Bild")
        verbose_name_plural = _("Bilder")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt_text or self.file.name or ""


class ImageRendition(models.Model):
    """A stored, resized (and focal-point cropped) copy of an ``Image``."""

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40)  # e.g. "w640-16x9"
    format = models.CharField(max_length=10)  # "webp" or "jpeg"
    file = models.ImageField(
        upload_to="renditions/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "spec", "format"], name="unique_rendition")
        ]

    def __str__(self) -> str:
        return f"{self.image_id} {self.spec} {self.format}"


class Author(models.Model):
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(_("Kürzel"), max_length=120, unique=True)
    bio = models.TextField(_("Kurzbiografie"), blank=True, max_length=1000)
    photo = models.ForeignKey(
        Image,
        verbose_name=_("Foto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )

    class Meta:
        verbose_name = _("Autor")
        verbose_name_plural = _("Autoren")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:author", kwargs={"slug": self.slug})


class ReaderVisibleQuerySet[M: models.Model](models.QuerySet[M]):
    """What readers may see, defined once for every table that carries the article's
    state (``status``, ``go_live_at``, ``expires_at``, ``language``, ``translation_of``):
    the articles themselves and their search rows (``ArticleSearch``)."""

    @staticmethod
    def published_q(*, at: datetime) -> Q:
        """The one definition of "visible to readers" at ``at``, as a condition.

        Status published, go-live reached, not expired. ``published()`` filters by it;
        ``with_reader_state()`` labels rows by it.
        """
        return Q(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at),
            status=Article.Status.PUBLISHED,
            go_live_at__lte=at,
        )

    def published(self, *, at: datetime | None = None) -> Self:
        """The one definition of "visible to readers".

        Status published, go-live reached, not expired. Scheduled articles
        appear and expired ones disappear at their time without anyone acting.
        """
        return self.filter(self.published_q(at=at or timezone.now()))

    def for_language(self, language: str, *, at: datetime | None = None) -> Self:
        """Each story once for readers of ``language``: its published version in that
        language where one exists (published at ``at``, default now), else the original
        (lists, feeds, search, teasers).

        A translation in another language is left out; so is an original that has a
        published translation in ``language``. Cheap for the usual case: the condition
        on ``language`` decides most rows, the subquery runs only for the others.
        """
        translated = Article.objects.published(at=at).filter(
            translation_of=models.OuterRef("pk"), language=language
        )
        return self.filter(
            Q(language=language) | (Q(translation_of__isnull=True) & ~models.Exists(translated))
        )


class ArticleQuerySet(ReaderVisibleQuerySet["Article"]):
    @staticmethod
    def scheduled_q(*, at: datetime) -> Q:
        """Published, but the go-live time is still ahead of ``at``."""
        return Q(status=Article.Status.PUBLISHED, go_live_at__gt=at)

    def scheduled(self, *, at=None) -> ArticleQuerySet:
        return self.filter(self.scheduled_q(at=at or timezone.now()))

    def with_reader_state(self, *, at=None) -> ArticleQuerySet:
        """Each article annotated with ``reader_state``, by the rules of ``published()``.

        ``"visible"`` (readers see it), ``"scheduled"`` (go-live ahead), ``"expired"``
        (status published, not visible, expiry passed), ``"hidden"`` (status
        published but no go-live time), else the status itself. One SQL expression: no
        query per row, no date comparisons of its own in Python.
        """
        now = at or timezone.now()
        return self.annotate(
            reader_state=models.Case(
                models.When(self.published_q(at=now), then=models.Value("visible")),
                models.When(self.scheduled_q(at=now), then=models.Value("scheduled")),
                models.When(
                    Q(status=Article.Status.PUBLISHED, expires_at__lte=now),
                    then=models.Value("expired"),
                ),
                models.When(status=Article.Status.PUBLISHED, then=models.Value("hidden")),
                default=models.F("status"),
                output_field=models.CharField(),
            )
        )

    def with_licence_end(self) -> ArticleQuerySet:
        """Each article annotated with ``licence_end``: when its agency licence ends.

        An extension (``licence_until``) wins; else the first publication plus the
        agency's ``licence_days``; None without an agency licence (or never published).
        One SQL expression, no query per row.
        """
        from_agency = models.ExpressionWrapper(
            models.F("first_published_at")
            + models.F("agency__licence_days") * models.Value(timedelta(days=1)),
            output_field=models.DateTimeField(),
        )
        return self.annotate(licence_end=Coalesce(models.F("licence_until"), from_agency))

    def licence_ending(self, *, before: datetime) -> ArticleQuerySet:
        """Published agency articles whose licence ends before ``before`` (or has ended)."""
        return (
            self.with_licence_end()
            .filter(Q(licence_end__lt=before), status=Article.Status.PUBLISHED)
            .order_by(models.F("licence_end").asc(), "pk")
        )


# A module-level name, so django-stubs can type the generated manager's queryset methods.
_ArticleManagerBase = models.Manager.from_queryset(ArticleQuerySet)


class ArticleManager(_ArticleManagerBase["Article"]):
    pass


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        REVIEW = "review", _("In Prüfung")
        PUBLISHED = "published", _("Veröffentlicht")
        UNPUBLISHED = "unpublished", _("Zurückgezogen")
        ARCHIVED = "archived", _("Archiviert")

    class Kind(models.TextChoices):
        # Advertising in the form of an article must be recognisable as such (§ 5a
        # UWG, § 22 MStV, Landespressegesetze: "Anzeige"); political advertising
        # carries its own label, the sponsor and a transparency notice (EU 2024/900).
        EDITORIAL = "editorial", _("Redaktioneller Beitrag")
        ADVERTORIAL = "advertorial", _("Anzeige (gesponserter Beitrag)")
        POLITICAL_AD = "political_ad", _("Politische Anzeige")

    class CommentMode(models.TextChoices):
        OPEN = "open", _("Offen")
        PREMODERATED = "premoderated", _("Vorab moderiert")
        CLOSED = "closed", _("Geschlossen")
        AUTO_CLOSE = "auto_close", _("Schließt nach N Tagen")

    kicker = models.CharField(_("Dachzeile"), max_length=120, blank=True)
    headline = models.CharField(_("Überschrift"), max_length=200)
    slug = models.SlugField(_("Kürzel (URL)"), max_length=200, unique=True)
    lead = models.TextField(
        _("Vorspann"), max_length=600, help_text=_("Der Teaser-Absatz, reiner Text.")
    )
    body = models.TextField(_("Text"), blank=True)
    section = models.ForeignKey(
        Section, verbose_name=_("Ressort"), on_delete=models.PROTECT, related_name="articles"
    )
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("Autoren"),
        through="ArticleAuthor",
        related_name="articles",
        blank=True,
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("Agentur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    dateline = models.CharField(_("Ortsmarke"), max_length=80, blank=True)
    teaser_image = models.ForeignKey(
        Image,
        verbose_name=_("Aufmacherbild"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = TaggableManager(_("Schlagwörter"), blank=True, manager=ArticleTagManager)
    # The language the article is written in; its URL lives under that language's prefix
    # (German without one, English under /en/). A translation is an article of its own
    # pointing to the original: the versions of one story link each other (hreflang).
    language = models.CharField(
        _("Sprache"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Die Sprache des Textes. Englische Artikel erscheinen unter /en/."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("Übersetzung von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("Nur für Übersetzungen: der Originalartikel."),
    )

    meta_description = models.CharField(_("Meta-Beschreibung"), max_length=300, blank=True)
    social_title = models.CharField(_("Titel für soziale Medien"), max_length=200, blank=True)
    canonical_url = models.URLField(_("Kanonische URL (abweichend)"), blank=True)
    noindex = models.BooleanField(_("Nicht indexieren"), default=False)

    comment_mode = models.CharField(
        _("Kommentare"), max_length=20, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("Kommentare schließen nach (Tagen)"), null=True, blank=True
    )

    # Sponsored content (the ads lane; labels in templates, feeds, search and JSON-LD).
    kind = models.CharField(
        _("Art des Beitrags"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.EDITORIAL,
        help_text=_("Anzeigen werden überall als „ANZEIGE“ gekennzeichnet."),
    )
    sponsor = models.CharField(
        _("Auftraggeber"),
        max_length=200,
        blank=True,
        help_text=_("Pflicht bei Anzeigen: wer den Beitrag bezahlt hat."),
    )
    transparency_notice = models.TextField(
        _("Transparenzhinweis"),
        blank=True,
        help_text=_(
            "Pflicht bei politischen Anzeigen (Verordnung (EU) 2024/900): Auftraggeber mit "
            "Anschrift, Wahl oder Abstimmung, auf die sich die Anzeige bezieht, gezahlter "
            "Betrag, Zeitraum und ob Targeting eingesetzt wurde."
        ),
    )

    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Geändert"), auto_now=True)
    first_published_at = models.DateTimeField(_("Erstmals veröffentlicht"), null=True, blank=True)
    go_live_at = models.DateTimeField(_("Veröffentlichen ab"), null=True, blank=True)
    expires_at = models.DateTimeField(_("Ablauf"), null=True, blank=True)
    # Set only by services.article_licence_extend (with a reason, audited).
    licence_until = models.DateTimeField(
        _("Agenturlizenz verlängert bis"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Zuletzt geändert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Incremented by every save through the services: the edit-conflict check.
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)

    objects = ArticleManager()

    # The content an editor writes, in the change form's order, declared once: the admin
    # form edits these fields, its fieldsets show them, a revision snapshots and restores
    # them (articles.revisions). The workflow fields (status, dates, who, version) are not
    # content. tests/articles/test_content_fields.py fails for a field left out anywhere.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kicker",
        "headline",
        "slug",
        "section",
        "lead",
        "body",
        "agency",
        "dateline",
        "teaser_image",
        "tags",
        "language",
        "translation_of",
        "meta_description",
        "social_title",
        "canonical_url",
        "noindex",
        "comment_mode",
        "comments_close_after_days",
        "kind",
        "sponsor",
        "transparency_notice",
    )

    class Meta:
        # The same word in German for one and many: the context tells English apart.
        verbose_name = pgettext_lazy("singular", "Artikel")
        verbose_name_plural = pgettext_lazy("plural", "Artikel")
        ordering = ["-go_live_at", "-id"]
        permissions = [
            ("submit_article", _("Kann Artikel zur Prüfung einreichen")),
            ("publish_article", _("Kann Artikel veröffentlichen und planen")),
            ("unpublish_article", _("Kann Artikel zurückziehen")),
            ("archive_article", _("Kann Artikel archivieren")),
            ("reject_article", _("Kann Artikel zurückweisen")),
            ("edit_any_article", _("Kann alle Artikel bearbeiten")),
            ("preview_article", _("Kann Vorschau öffnen")),
        ]
        indexes = [
            models.Index(fields=["status", "go_live_at"], name="article_status_golive"),
            models.Index(
                fields=["section", "status", "-go_live_at"], name="article_section_golive"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="one_translation_per_language"
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")), name="article_not_own_translation"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        """The article's one URL, under its own language's prefix (whatever the reader's).
        Without a ``reverse()`` each (``core.links``): fronts link dozens of articles."""
        return cached_reverse(
            "articles:detail",
            kwargs={"section": self.section.slug, "slug": self.slug},
            language=self.language,
        )

    @property
    def is_sponsored(self) -> bool:
        """Advertising in the form of an article (advertorial or political ad)."""
        return self.kind != self.Kind.EDITORIAL

    @property
    def is_political_ad(self) -> bool:
        return self.kind == self.Kind.POLITICAL_AD

    def clean(self) -> None:
        """A translation points to an original (not to a translation) in another language;
        an ad names its sponsor, a political ad carries its transparency notice."""
        super().clean()
        if self.is_sponsored and not self.sponsor.strip():
            raise ValidationError({"sponsor": _("Eine Anzeige braucht den Auftraggeber.")})
        if self.is_political_ad and not self.transparency_notice.strip():
            raise ValidationError(
                {
                    "transparency_notice": _(
                        "Eine politische Anzeige braucht den Transparenzhinweis."
                    )
                }
            )
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk or original.translation_of_id is not None:
            raise ValidationError(
                {"translation_of": _("Bitte den Originalartikel wählen, keine Übersetzung.")}
            )
        if original.language == self.language:
            raise ValidationError(
                {"translation_of": _("Original und Übersetzung haben dieselbe Sprache.")}
            )


class ArticleSearch(models.Model):
    """An article's search row: its full-text vector and the state search filters by
    (``published()``, ``for_language()``), in a narrow table of its own.

    Written only by PostgreSQL: triggers on the article table (migration 0010) insert and
    update it in the statement that writes the article, whoever writes it (services,
    the admin, bulk updates, raw SQL), and delete it with the article. Narrow on purpose: a common word matches thousands of articles, and
    filtering them here reads a few MB instead of the article table's heap; the vector
    itself is stored out of line and read only to rank the newest matches
    (``selectors.search_page``, docs/performance.md "Search").

    The vector: headline (weight A), kicker and lead (B), body (C), PostgreSQL's German
    configuration (``tests/articles/test_search_rows.py`` holds it equal to the same
    expression built with Django's ``SearchVector``).
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        # Deleted by the article table's delete trigger (a database-level cascade is not
        # allowed beside the article's Python-level ones).
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_row",
        editable=False,
    )
    status = models.CharField(max_length=20, editable=False)
    go_live_at = models.DateTimeField(null=True, editable=False)
    expires_at = models.DateTimeField(null=True, editable=False)
    language = models.CharField(max_length=8, editable=False)
    translation_of = models.ForeignKey(
        Article,
        null=True,
        on_delete=models.DO_NOTHING,  # the article's own SET_NULL reaches it by trigger
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    vector = SearchVectorField(editable=False)

    objects = ReaderVisibleQuerySet["ArticleSearch"].as_manager()

    class Meta:
        verbose_name = _("Suchzeile")
        verbose_name_plural = _("Suchzeilen")
        default_permissions = ()
        indexes = [
            GinIndex(fields=["vector"], name="article_search_vector_gin"),
            # A word in most articles: the newest rows, each tested, until enough match
            # (cheaper than the GIN index's long posting lists); the planner chooses.
            models.Index(fields=["status", "go_live_at"], name="article_search_status_golive"),
        ]

    def __str__(self) -> str:
        return str(self.article_id)


class ArticleAuthor(models.Model):
    """Ordered authorship (the byline lists authors by ``position``)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="authorships")
    author = models.ForeignKey(Author, verbose_name=_("Autor"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        verbose_name = _("Autorschaft")
        verbose_name_plural = _("Autorschaften")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")
        ]

    def __str__(self) -> str:
        return str(self.author)


class RelatedArticle(models.Model):
    """A hand-picked related article, shown first among the related teasers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_items")
    related = models.ForeignKey(
        Article, verbose_name=_("Verwandter Artikel"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        verbose_name = _("Verwandter Artikel")
        verbose_name_plural = _("Verwandte Artikel")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_related_article"),
            models.CheckConstraint(
                condition=~Q(article=models.F("related")), name="related_article_not_self"
            ),
        ]

    def __str__(self) -> str:
        return str(self.related)


class RelatedLink(models.Model):
    """An external related link (title + URL)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="related_links")
    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    position = models.PositiveSmallIntegerField(_("Position"), default=0)

    class Meta:
        verbose_name = _("Weiterführender Link")
        verbose_name_plural = _("Weiterführende Links")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Correction(models.Model):
    """A public, dated correction note listed on the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    published_at = models.DateTimeField(_("Datum"), default=timezone.now)
    text = models.TextField(_("Korrektur"), max_length=2000)

    class Meta:
        verbose_name = _("Korrektur")
        verbose_name_plural = _("Korrekturen")
        ordering = ["published_at", "id"]

    def __str__(self) -> str:
        day = date_format(timezone.localtime(self.published_at), "SHORT_DATE_FORMAT")
        return f"{day}: {self.text[:60]}"


class ArticleRevision(models.Model):
    """A full snapshot of an article, stored on every save."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("Nummer"))
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    snapshot = models.JSONField(_("Inhalt"))
    note = models.CharField(_("Notiz"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Revision")
        verbose_name_plural = _("Revisionen")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.article}"


class ArticleURL(models.Model):
    """An old (section, slug) pair of an article: answers 301 to the current URL."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_urls")
    section_slug = models.SlugField(max_length=80)
    slug = models.SlugField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Alte Artikel-URL")
        verbose_name_plural = _("Alte Artikel-URLs")
        constraints = [
            models.UniqueConstraint(fields=["section_slug", "slug"], name="unique_old_article_url")
        ]

    def __str__(self) -> str:
        return f"/{self.section_slug}/{self.slug}/"


class OldTagSlug(models.Model):
    """A slug a tag had before: ``/thema/<old>/`` answers 301 to the tag's current page."""

    old_slug = models.CharField(_("Altes Kürzel"), max_length=255, unique=True)
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Altes Schlagwort-Kürzel")
        verbose_name_plural = _("Alte Schlagwort-Kürzel")

    def __str__(self) -> str:
        return f"/thema/{self.old_slug}/"


class SearchWord(models.Model):
    """A word of the published articles: the search's lexicon (``articles.search``).

    Derived data, rebuilt by ``manage.py rebuild_search_words`` and extended when an
    article is published (``articles.services.search_words``). The search reads it to
    find spellings ("Buergeraemter" → "bürgerämter"), compounds that contain a word
    ("preis" → "strompreis"), other forms of a verb ("forderte" → "fordern") and, for
    "Meinten Sie …?", the most similar known word. ``trigrams`` are the padded
    three-letter pieces of ``folded`` (as pg_trgm makes them), searched with a GIN index
    over a plain array: the embedded PostgreSQL has no pg_trgm.
    """

    word = models.CharField(_("Wort"), max_length=100, unique=True)
    folded = models.CharField(_("Umschrift"), max_length=200, db_index=True)
    trigrams = ArrayField(models.CharField(max_length=3), verbose_name=_("Trigramme"))
    documents = models.PositiveIntegerField(_("Artikel"), default=0)

    class Meta:
        verbose_name = _("Suchwort")
        verbose_name_plural = _("Suchwörter")
        indexes = [GinIndex(fields=["trigrams"], name="searchword_trigrams_gin")]

    def __str__(self) -> str:
        return self.word


class PreviewLink(models.Model):
    """A shareable preview of an article for a reviewer without an account.

    The URL carries this row's id signed with the secret key
    (``articles.services.preview_links``); the row decides whether it still works:
    until ``expires_at``, and not once revoked. Reads and writes through the service.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="preview_links"
    )
    created_at = models.DateTimeField(_("Angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Angelegt von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("Gültig bis"))
    revoked_at = models.DateTimeField(_("Zurückgezogen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Zurückgezogen von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Vorschau-Link")
        verbose_name_plural = _("Vorschau-Links")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.pk}"

    def is_active(self, *, at: datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (at or timezone.now())


class ArticleAutosave(models.Model):
    """The form of an article as one person left it, saved in the background.

    One row per person and article, overwritten by each autosave; apart from the
    revisions (history is not flooded). ``base_version`` is the article version the
    form was opened at: restoring goes through the normal save with its conflict check.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("Artikel"), on_delete=models.CASCADE, related_name="autosaves"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    base_version = models.PositiveIntegerField(_("Version beim Öffnen"))
    data = models.JSONField(_("Formularinhalt"), default=dict)
    saved_at = models.DateTimeField(_("Gespeichert"), auto_now=True)

    class Meta:
        verbose_name = _("Automatisch gesicherter Entwurf")
        verbose_name_plural = _("Automatisch gesicherte Entwürfe")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_autosave_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.user_id}"
