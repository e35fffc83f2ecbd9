"""The audit log every service writes to (``core.audit.audit_log``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change or sensitive action: who, when, on what, from, to, why."""

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("Objekt"), max_length=255)
    action = models.CharField(_("Aktion"), max_length=64, db_index=True)
    from_state = models.CharField(_("Vorher"), max_length=32, blank=True)
    to_state = models.CharField(_("Nachher"), max_length=32, blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    data = models.JSONField(_("Daten"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]
        # The table and index keep the names they got in the newsroom app (moved
        # without touching the database, see core/migrations/0001).
        db_table = "newsroom_auditentry"
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-created_at"],
                name="newsroom_au_content_4ce745_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class StaffPreference(models.Model):
    """A staff member's own settings: the language of the admin and of their mails.

    Written by ``core.services.staff_preference_set`` (the "Meine
    Einstellungen" page of the admin); read by ``core.languages``.
    """

    class Language(models.TextChoices):
        BROWSER = "", _("Wie im Browser eingestellt")
        GERMAN = "de", _("Deutsch")
        ENGLISH = "en", _("Englisch")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Benutzer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_preference",
    )
    language = models.CharField(
        _("Sprache der Redaktionsoberfläche"),
        max_length=8,
        blank=True,
        default=Language.BROWSER,
        choices=Language.choices,
        help_text=_(
            "Sprache der Verwaltung und der Mails an Sie. „Wie im Browser“: die Sprache, "
            "die Ihr Browser zuerst nennt (Deutsch, wenn er keine unterstützte nennt)."
        ),
    )

    class Meta:
        verbose_name = _("Persönliche Einstellung")
        verbose_name_plural = _("Persönliche Einstellungen")

    def __str__(self) -> str:
        return str(self.user)
