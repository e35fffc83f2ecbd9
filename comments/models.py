"""Comments, subscriptions, notification deliveries, inline feedback and moderation.

What readers may see is defined once, in ``CommentQuerySet.public()``.
State changes happen in ``comments.services``, never in ``save()``.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import Article
from comments import grounds
from core.links import id_url

logger = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    """Addresses are compared case-insensitively and without surrounding blanks."""
    return (email or "").strip().lower()


# Bidirectional formatting characters: embeddings and overrides (U+202A-U+202E),
# isolates (U+2066-U+2069), the marks (U+200E, U+200F, U+061C). In a name they
# only serve to make it display as something else ("Admin\u202egnp.exe").
BIDI_CONTROLS_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(value: str) -> str:
    """``value`` without bidirectional formatting characters (for reader names)."""
    return BIDI_CONTROLS_RE.sub("", value or "")


def text_fingerprint(text: str) -> str:
    """A hash of the text with case and whitespace folded: the duplicate check's key."""
    folded = re.sub(r"\s+", " ", (text or "").casefold()).strip()
    return hashlib.sha256(folded.encode()).hexdigest()


class ModerationMode(models.TextChoices):
    POST = "post", _("Nachträglich moderiert (sofort sichtbar)")
    PRE = "pre", _("Vorab moderiert (alles wartet auf Freigabe)")
    FIRST_COMMENT = "first_comment", _("Erster Kommentar einer neuen Adresse wartet auf Freigabe")
    CLOSED = "closed", _("Geschlossen")


class ModerationSettings(models.Model):
    """Site-wide comment settings: one row (pk=1), edited in the admin.

    ``ModerationSettings.get()`` creates it with the defaults below on first use;
    ``settings.COMMENTS_DEFAULTS`` (a dict of field names) changes those defaults.
    """

    mode = models.CharField(
        _("Moderationsmodus"),
        max_length=20,
        choices=ModerationMode.choices,
        default=ModerationMode.FIRST_COMMENT,
    )
    auto_close_after_days = models.PositiveSmallIntegerField(
        _("Kommentare schließen nach (Tagen)"),
        null=True,
        blank=True,
        help_text=_(
            "Gilt für alle Artikel; leer = nie. Artikel mit eigener Frist nutzen ihre eigene."
        ),
    )
    trust_after_approvals = models.PositiveSmallIntegerField(
        _("Vertrauenswürdig nach Freigaben"),
        default=1,
        help_text=_("So viele freigegebene Kommentare, dann erscheint eine Adresse sofort."),
    )
    reports_to_hide = models.PositiveSmallIntegerField(
        _("Meldungen bis „Gemeldet“"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Ab so vielen Meldungen wird ein Kommentar verborgen und geprüft."),
    )
    max_depth = models.PositiveSmallIntegerField(
        _("Maximale Antworttiefe"), default=3, validators=[MinValueValidator(1)]
    )
    min_length = models.PositiveSmallIntegerField(_("Mindestlänge (Zeichen)"), default=3)
    max_length = models.PositiveIntegerField(_("Höchstlänge (Zeichen)"), default=3000)
    max_links = models.PositiveSmallIntegerField(
        _("Höchstzahl Links"), default=2, help_text=_("Mehr Links: Kommentar wartet auf Freigabe.")
    )
    min_seconds_to_fill = models.PositiveSmallIntegerField(
        _("Mindestzeit zum Ausfüllen (Sekunden)"), default=3
    )
    rate_limit_window_seconds = models.PositiveIntegerField(
        _("Zeitfenster der Begrenzung (Sekunden)"), default=600, validators=[MinValueValidator(1)]
    )
    rate_limit_per_ip = models.PositiveSmallIntegerField(
        _("Kommentare je IP im Zeitfenster"), default=10
    )
    rate_limit_per_address = models.PositiveSmallIntegerField(
        _("Kommentare je Adresse im Zeitfenster"), default=5
    )
    confirmation_mails_per_address_per_day = models.PositiveSmallIntegerField(
        _("Bestätigungsmails je Adresse und Tag"), default=3
    )
    confirmation_mails_per_ip_per_hour = models.PositiveSmallIntegerField(
        _("Bestätigungsmails je IP und Stunde"), default=10
    )
    banned_words = models.TextField(
        _("Verbotene Wörter"),
        blank=True,
        help_text=_("Eines je Zeile. Kommentare damit werden abgelehnt."),
    )
    suspect_words = models.TextField(
        _("Verdächtige Wörter"),
        blank=True,
        help_text=_("Eines je Zeile. Kommentare damit warten auf Freigabe."),
    )
    ip_retention_days = models.PositiveSmallIntegerField(
        _("IP-Adressen aufbewahren (Tage)"), default=14, validators=[MaxValueValidator(365)]
    )
    initial_threads = models.PositiveSmallIntegerField(
        _("Diskussionen auf der Artikelseite"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Danach „Alle Kommentare anzeigen“."),
    )
    threads_per_page = models.PositiveSmallIntegerField(
        _("Diskussionen je Seite"), default=50, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("Kommentar-Einstellungen")
        verbose_name_plural = _("Kommentar-Einstellungen")

    def __str__(self) -> str:
        return str(_("Kommentar-Einstellungen"))

    CACHE_KEY = "comments:moderation-settings"

    @classmethod
    def get(cls) -> ModerationSettings:
        """The settings row, created with the (configurable) defaults on first use.

        Kept in the shared cache (read on every article page); saving or deleting
        the row drops the cached copy when the transaction commits
        (``newsroom.purges``): a reader before the commit cannot cache the old row
        for longer.
        """
        try:
            obj = cache.get(cls.CACHE_KEY)
        except Exception:  # noqa: BLE001 - cache down: read the database
            obj = None
        if isinstance(obj, cls):
            return obj
        obj = cls.objects.filter(pk=1).first()
        if obj is None:
            defaults = dict(getattr(settings, "COMMENTS_DEFAULTS", {}))
            obj, _created = cls.objects.get_or_create(pk=1, defaults=defaults)
        try:
            cache.set(cls.CACHE_KEY, obj, timeout=300)
        except Exception:  # noqa: BLE001 - works without the cache, only slower
            logger.warning("comment settings: cache unavailable", exc_info=True)
        return obj

    @classmethod
    def forget_cached(cls, **kwargs) -> None:
        try:
            cache.delete(cls.CACHE_KEY)
        except Exception:  # noqa: BLE001 - the copy expires after five minutes anyway
            logger.warning("comment settings: could not drop the cached copy", exc_info=True)

    @staticmethod
    def _words(raw: str) -> list[str]:
        return [w.strip().casefold() for w in raw.splitlines() if w.strip()]

    @property
    def banned_word_list(self) -> list[str]:
        return self._words(self.banned_words)

    @property
    def suspect_word_list(self) -> list[str]:
        return self._words(self.suspect_words)


class FeedbackPoint(models.Model):
    """A passage of an article body (a paragraph) where readers are asked a question."""

    article = models.ForeignKey(
        Article,
        verbose_name=pgettext_lazy("singular", "Artikel"),
        on_delete=models.CASCADE,
        related_name="feedback_points",
    )
    paragraph_index = models.PositiveSmallIntegerField(
        _("Absatz"), help_text=_("Nummer des Absatzes im Text, ab 0.")
    )
    passage = models.TextField(
        _("Zitierte Passage"),
        blank=True,
        help_text=_("Wird beim Speichern aus dem Absatz übernommen und bei Antworten zitiert."),
    )
    question = models.CharField(_("Frage an die Leser"), max_length=300)
    is_active = models.BooleanField(_("Aktiv"), default=True)
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Inline-Feedback-Stelle")
        verbose_name_plural = _("Inline-Feedback-Stellen")
        ordering = ["article", "paragraph_index", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "paragraph_index"], name="unique_feedback_point_paragraph"
            )
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def anchor(self) -> str:
        return f"feedback-{self.pk}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def public(self) -> CommentQuerySet:
        """The one definition of "visible to readers", used by every count and list.

        Approved, in a thread whose first comment is approved too (a reply is shown
        inside its thread, so when reader reports or the moderation hide the thread's
        first comment, its replies disappear with it), and for inline feedback an
        active feedback point. A reply whose direct parent is hidden stays visible:
        the list hangs it under the thread's first comment.

        The counts in ``CommentCounts`` are kept by PostgreSQL with the same rule in SQL
        (migration 0006); ``tests/comments/test_comment_counts.py`` holds them equal.
        """
        return self.filter(
            Q(root__isnull=True) | Q(root__status=Comment.Status.APPROVED),
            Q(feedback_point__isnull=True) | Q(feedback_point__is_active=True),
            status=Comment.Status.APPROVED,
        )

    def by_address(self, email: str) -> CommentQuerySet:
        return self.filter(email=normalise_email(email))


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Wartet auf Freigabe")
        APPROVED = "approved", _("Freigegeben")
        REJECTED = "rejected", _("Abgelehnt")
        SPAM = "spam", _("Spam")

    article = models.ForeignKey(
        Article,
        verbose_name=pgettext_lazy("singular", "Artikel"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    # The top-level comment of the thread (itself for top-level comments is NULL):
    # lets one query fetch every reply of a page of threads.
    root = models.ForeignKey(
        "self",
        verbose_name=_("Diskussion"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="descendants",
    )
    depth = models.PositiveSmallIntegerField(_("Tiefe"), default=0)
    feedback_point = models.ForeignKey(
        FeedbackPoint,
        verbose_name=_("Inline-Feedback-Stelle"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzerkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    name = models.CharField(_("Name"), max_length=80)
    email = models.EmailField(_("E-Mail"), db_index=True, blank=True)
    text = models.TextField(_("Text"))
    text_hash = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    is_staff_comment = models.BooleanField(_("Redaktion"), default=False)
    is_pinned = models.BooleanField(_("Hervorgehoben"), default=False)
    is_removed = models.BooleanField(
        _("Vom Autor gelöscht"),
        default=False,
        help_text=_("Text und Adresse entfernt; bleibt stehen, weil es Antworten gibt."),
    )
    moderation_reasons = models.JSONField(_("Gründe der Prüfung"), default=list, blank=True)
    rejection_reason = models.TextField(_("Ablehnungsgrund"), blank=True)
    report_count = models.PositiveIntegerField(_("Meldungen"), default=0)
    reported_at = models.DateTimeField(_("Gemeldet seit"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    user_agent = models.CharField(_("Browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Erstellt"), default=timezone.now, db_index=True)
    approved_at = models.DateTimeField(_("Freigegeben am"), null=True, blank=True)
    # When the subscribers' notifications were created (comments.notifications.fan_out);
    # an approved comment without it is picked up by sweep_missed_notifications.
    notified_at = models.DateTimeField(_("Abonnenten benachrichtigt"), null=True, blank=True)
    # The idempotency key of the form submission that created the comment: a
    # repeated submission (retry after an error, double click) finds it here.
    submission_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Moderiert von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("moderate_comment", _("Kann Kommentare freigeben, ablehnen und sperren")),
            ("pin_comment", _("Kann Kommentare hervorheben")),
        ]
        indexes = [
            models.Index(
                fields=["article", "status", "root", "-created_at"], name="comment_thread_idx"
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(
                fields=["created_at"], name="comment_with_ip_idx", condition=Q(ip__isnull=False)
            ),
            models.Index(
                fields=["approved_at"],
                name="comment_not_notified_idx",
                condition=Q(notified_at__isnull=True, status="approved"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="one_comment_per_submission",
            )
        ]

    def __str__(self) -> str:
        excerpt = self.text[:60] + ("…" if len(self.text) > 60 else "")
        # Isolated (FSI … PDI): shown in admin titles, messages and logs, a name or
        # text in another script direction cannot reorder the rest.
        return f"\u2068{self.name}\u2069: \u2068{excerpt}\u2069"

    @property
    def anchor(self) -> str:
        return f"kommentar-{self.pk}"

    # The links of a comment in the thread (``comments/partials/comments.jinja``), without a
    # ``reverse()`` each (``core.links``).
    @property
    def reply_url(self) -> str:
        return f"{id_url('comments:compose', self.article_id)}?antwort={self.pk}"

    @property
    def report_url(self) -> str:
        return id_url("comments:report", self.pk)

    @property
    def notice_url(self) -> str:
        return id_url("comments:notice_comment", self.pk)

    @property
    def is_reported(self) -> bool:
        return self.reported_at is not None


class CommentReport(models.Model):
    """A reader's report of a comment. The reporter is kept only as a salted IP hash."""

    class Reason(models.TextChoices):
        INSULT = "insult", _("Beleidigung oder Hetze")
        SPAM = "spam", _("Werbung oder Spam")
        ILLEGAL = "illegal", _("Rechtswidriger Inhalt")
        OFF_TOPIC = "off_topic", _("Am Thema vorbei")
        OTHER = "other", _("Anderes")

    comment = models.ForeignKey(
        Comment, verbose_name=_("Kommentar"), on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("Anmerkung"), max_length=500, blank=True)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("Gemeldet"), auto_now_add=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["comment", "ip_hash"], name="one_report_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.comment_id}"


class Subscription(models.Model):
    """An address that wants mail about an article's comments (double opt-in)."""

    class Kind(models.TextChoices):
        ALL = "all", _("Neue Folgekommentare")
        REPLIES = "replies", _("Neue Antworten auf meine Kommentare")

    article = models.ForeignKey(
        Article,
        verbose_name=pgettext_lazy("singular", "Artikel"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    email = models.EmailField(_("E-Mail"), db_index=True)
    kind = models.CharField(_("Benachrichtigen bei"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("Angefordert"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(_("Bestätigung gesendet"), null=True, blank=True)
    # Random per request; the confirmation link carries it, so a link works once.
    confirmation_nonce = models.CharField(max_length=32, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("Bestätigt"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("Abgemeldet"), null=True, blank=True)
    # The language of the page the reader subscribed on: every mail of the
    # subscription (confirmation, notifications) is written in it, its links under
    # that language's prefix.
    language = models.CharField(
        _("Sprache"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "email", "kind"], name="unique_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.article_id} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class NotificationDelivery(models.Model):
    """One notification mail of one comment to one address.

    The unique (comment, email) pair makes a second mail impossible; a row is
    claimed (``sending``) before the mail goes out and marked ``sent`` after.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Ausstehend")
        SENDING = "sending", _("Wird gesendet")
        SENT = "sent", _("Gesendet")
        FAILED = "failed", _("Fehlgeschlagen, wird wiederholt")
        GAVE_UP = "gave_up", _("Aufgegeben")

    comment = models.ForeignKey(
        Comment, verbose_name=_("Kommentar"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("Abonnement"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    email = models.EmailField(_("E-Mail"))
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    next_attempt_at = models.DateTimeField(_("Nächster Versuch"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("Gesendet"), null=True, blank=True)
    last_error = models.TextField(_("Letzter Fehler"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "email"], name="one_notification_per_address"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.email} ← {self.comment_id} ({self.status})"


class TrustedAddress(models.Model):
    """An address whose comments appear without waiting (besides earned trust)."""

    email = models.EmailField(_("E-Mail"), unique=True)
    note = models.CharField(_("Notiz"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Erstellt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Vertrauenswürdige Adresse")
        verbose_name_plural = _("Vertrauenswürdige Adressen")

    def __str__(self) -> str:
        return self.email


class Ban(models.Model):
    """What every ban records: why, since when, and by whom."""

    reason = models.CharField(_("Grund"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Gesperrt seit"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gesperrt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class BannedAddress(Ban):
    """An e-mail address whose comments are rejected automatically."""

    email = models.EmailField(_("E-Mail"), unique=True)

    class Meta:
        verbose_name = _("Gesperrte Adresse")
        verbose_name_plural = _("Gesperrte Adressen")

    def __str__(self) -> str:
        return self.email


class BannedIP(Ban):
    """An IP address (or network in CIDR form) whose comments are rejected automatically."""

    network = models.CharField(
        _("IP-Adresse oder Netz"), max_length=50, unique=True, help_text=_("z. B. 203.0.113.7")
    )

    class Meta:
        verbose_name = _("Gesperrte IP-Adresse")
        verbose_name_plural = _("Gesperrte IP-Adressen")

    def __str__(self) -> str:
        return self.network


class ModerationDecision(models.Model):
    """Every decision about a comment, automated or by a person (DSA Art. 17 and 24).

    A rejection carries its statement of reasons: the ground from the catalogue
    (``comments.grounds``), the facts, and whether it was automated. Rows are kept
    when the comment is deleted (``comment`` becomes NULL): they are the records
    the transparency report counts.
    """

    class Kind(models.TextChoices):
        HOLD = "hold", _("Zur Prüfung zurückgehalten")
        APPROVE = "approve", _("Freigegeben")
        REJECT = "reject", _("Abgelehnt")
        SPAM = "spam", _("Als Spam markiert")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    kind = models.CharField(_("Entscheidung"), max_length=10, choices=Kind.choices)
    automated = models.BooleanField(_("Automatisch"), default=False)
    ground = models.CharField(
        _("Grund (Katalog)"), max_length=30, blank=True, choices=grounds.grouped_choices
    )
    facts = models.TextField(_("Sachverhalt"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Entschieden am"), default=timezone.now, db_index=True)
    author_notified = models.BooleanField(_("Begründung verschickt"), default=False)
    # The comment's status before the decision: what "undo" on the desk restores.
    from_status = models.CharField(_("Status vorher"), max_length=20, blank=True)
    undone_at = models.DateTimeField(_("Rückgängig gemacht"), null=True, blank=True)

    class Meta:
        verbose_name = _("Moderationsentscheidung")
        verbose_name_plural = _("Moderationsentscheidungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.comment_id})"

    @property
    def ground_label(self) -> str:
        entry = grounds.BY_CODE.get(self.ground)
        return str(entry.label) if entry else ""

    @property
    def ground_basis(self) -> str:
        entry = grounds.BY_CODE.get(self.ground)
        return str(entry.basis) if entry else ""


class Notice(models.Model):
    """A notice under DSA Art. 16: anyone says a comment is illegal or breaks the rules."""

    class Outcome(models.TextChoices):
        REMOVED = "removed", _("Entfernt")
        KEPT = "kept", _("Nicht entfernt")

    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    ground = models.CharField(_("Grund"), max_length=30, choices=grounds.grouped_choices)
    explanation = models.TextField(_("Begründung"))
    name = models.CharField(_("Name"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    good_faith = models.BooleanField(_("In gutem Glauben"), default=False)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_at = models.DateTimeField(_("Eingegangen"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("Entschieden"), null=True, blank=True)
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices, blank=True)
    decision = models.ForeignKey(
        ModerationDecision,
        verbose_name=_("Entscheidung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )

    class Meta:
        verbose_name = _("Hinweis (DSA)")
        verbose_name_plural = _("Hinweise (DSA)")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["comment"], name="notice_open_idx", condition=Q(decided_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.ground_label} ({self.comment_id})"

    @property
    def ground_label(self) -> str:
        entry = grounds.BY_CODE.get(self.ground)
        return str(entry.label) if entry else self.ground


class ReviewRequest(models.Model):
    """An author asks for a rejection to be looked at again (DSA Art. 20).

    A second moderator decides: not the one who made the decision under review.
    """

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Bestätigt")
        REVERSED = "reversed", _("Aufgehoben")

    decision = models.ForeignKey(
        ModerationDecision,
        verbose_name=_("Entscheidung"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("Kommentar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    # Set when the notifier of a notice that led to no removal complains (Art. 20
    # covers notifiers too); otherwise the author of a rejected comment asked.
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("Hinweis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    explanation = models.TextField(_("Begründung des Widerspruchs"), blank=True)
    created_at = models.DateTimeField(_("Eingegangen"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("Entschieden"), null=True, blank=True)
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Widerspruch")
        verbose_name_plural = _("Widersprüche")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(decided_at__isnull=True),
                name="one_open_review_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} – {self.get_outcome_display() or '…'}"


class ModeratorNote(models.Model):
    """A note about a comment, for the other moderators (never shown to readers)."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("Kommentar"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Von"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("Notiz"), max_length=2000)
    created_at = models.DateTimeField(_("Erstellt"), default=timezone.now)

    class Meta:
        verbose_name = _("Moderationsnotiz")
        verbose_name_plural = _("Moderationsnotizen")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ErrorReport(models.Model):
    """A reader's report of an error in an article ("Fehler melden"), optionally at a
    passage. Handled by the editors (not the comment moderation): turned into a
    published ``articles.Correction`` or dismissed."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offen")
        CORRECTED = "corrected", _("Korrigiert")
        DISMISSED = "dismissed", _("Verworfen")

    article = models.ForeignKey(
        Article,
        verbose_name=pgettext_lazy("singular", "Artikel"),
        on_delete=models.CASCADE,
        related_name="error_reports",
    )
    paragraph_index = models.PositiveSmallIntegerField(_("Absatz"), null=True, blank=True)
    passage = models.TextField(_("Zitierte Passage"), blank=True)
    text = models.TextField(_("Was ist falsch?"), max_length=3000)
    name = models.CharField(_("Name"), max_length=120, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("Eingegangen"), default=timezone.now)
    handled_at = models.DateTimeField(_("Bearbeitet"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Bearbeitet von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    correction = models.ForeignKey(
        "articles.Correction",
        verbose_name=_("Korrektur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Fehlermeldung")
        verbose_name_plural = _("Fehlermeldungen")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.text[:60]}"


class CommentCounts(models.Model):
    """The numbers in an article's comment headings: visible comments, inline feedbacks
    and threads (``Comment.objects.public()``), one row per article with comments.

    Written only by PostgreSQL (migration 0006), in the statement that writes comments
    or feedback points, whoever writes them (services, the admin, bulk updates): a new
    comment adds one (the post's hot path: no count over the article's comments); any
    other change of a comment's status, thread, feedback point or article, a deleted
    comment and a feedback point switched on or off count that article again. Deleted
    with the article by its delete trigger. So reading the headings is one row, for 3 or
    30,000 comments (``selectors.comment_counts``).
    """

    article = models.OneToOneField(
        Article,
        primary_key=True,
        # Deleted by the article table's delete trigger, as the search rows are.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="comment_counts",
        editable=False,
    )
    comments = models.IntegerField(editable=False, default=0)
    feedback = models.IntegerField(editable=False, default=0)
    threads = models.IntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("Kommentarzahlen")
        verbose_name_plural = _("Kommentarzahlen")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.article_id}: {self.comments}/{self.feedback}/{self.threads}"


class ArticleDiscussion(models.Model):
    """The moderation desk's setting for one article's discussion, over the site mode.

    ``post``: comments appear at once even when the site moderates first;
    ``paused``: no new comments for now (a heated discussion), reopened later;
    ``closed``: closed for good. The article's own comment setting (closed, auto
    close) still applies. All rows are read at once and cached (``overrides``):
    the table is small, and article pages must not cost a query for it.
    """

    class Mode(models.TextChoices):
        POST = "post", _("Nachträglich moderiert (sofort sichtbar)")
        PAUSED = "paused", _("Pausiert (keine neuen Kommentare)")
        CLOSED = "closed", _("Geschlossen")

    article = models.OneToOneField(
        Article,
        verbose_name=pgettext_lazy("singular", "Artikel"),
        on_delete=models.CASCADE,
        related_name="discussion",
    )
    mode = models.CharField(_("Diskussion"), max_length=10, choices=Mode.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Gesetzt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    set_at = models.DateTimeField(_("Gesetzt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Diskussion eines Artikels")
        verbose_name_plural = _("Diskussionen einzelner Artikel")

    def __str__(self) -> str:
        return f"{self.article_id}: {self.get_mode_display()}"

    CACHE_KEY = "comments:article-discussions"

    @classmethod
    def overrides(cls) -> dict[int, str]:
        """{article id: mode} of every article with a desk setting (cached, one query on a miss)."""
        try:
            cached = cache.get(cls.CACHE_KEY)
        except Exception:  # noqa: BLE001 - cache down: read the database
            cached = None
        if isinstance(cached, dict):
            return cached
        found = dict(cls.objects.values_list("article_id", "mode"))
        try:
            cache.set(cls.CACHE_KEY, found, timeout=300)
        except Exception:  # noqa: BLE001 - works without the cache, only slower
            logger.warning("article discussions: cache unavailable", exc_info=True)
        return found

    @classmethod
    def forget_cached(cls, **kwargs) -> None:
        try:
            cache.delete(cls.CACHE_KEY)
        except Exception:  # noqa: BLE001 - the copy expires after five minutes anyway
            logger.warning("article discussions: could not drop the cached copy", exc_info=True)
