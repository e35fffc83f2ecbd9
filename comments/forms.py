"""Reader forms of the comments app (validation only; writes go through services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments import grounds
from comments.models import Comment, CommentReport, FeedbackPoint, Subscription
from core.parsing import parse_id

NOTIFY_CHOICES = [("", _("Nicht benachrichtigen")), *Subscription.Kind.choices]


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    email = forms.EmailField(
        label=_("E-Mail"),
        required=False,
        help_text=_("Wird nicht veröffentlicht."),
    )
    text = forms.CharField(label=_("Ihr Kommentar"), widget=forms.Textarea(attrs={"rows": 5}))
    notify = forms.ChoiceField(
        label=_("Benachrichtigen bei"), choices=NOTIFY_CHOICES, required=False
    )
    remember = forms.BooleanField(
        label=_("Name und E-Mail in diesem Browser speichern"), required=False
    )
    # Resolved by clean_parent/clean_feedback to the comment answered and the feedback point.
    parent = forms.CharField(required=False, widget=forms.HiddenInput)
    feedback = forms.CharField(required=False, widget=forms.HiddenInput)
    ts = forms.CharField(required=False, widget=forms.HiddenInput)
    # Idempotency key: random per form, so sending the same form twice stores one comment.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and aria-hidden, filled by bots.
    website = forms.CharField(label=_("Website"), required=False)

    # Where a service's ValidationError (by its code, see services.comment_submit) is shown.
    ERROR_FIELDS = {
        "name": "name",
        "email": "email",
        "too_short": "text",
        "too_long": "text",
        "parent": "parent",
        "feedback_point": "feedback",
    }

    def __init__(self, *args, user=None, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.article = article
        if user is not None and user.is_authenticated:
            self.fields.pop("name")
            self.fields.pop("email")
            self.fields.pop("remember")

    def clean(self):
        data = super().clean()
        if self.user is None or not self.user.is_authenticated:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Bitte geben Sie einen Namen an."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Bitte geben Sie Ihre E-Mail-Adresse an."))
        return data

    def clean_parent(self) -> Comment | None:
        """The public comment of this article that is answered; None for a new thread."""
        value = self.cleaned_data.get("parent") or self.data.get("antwort") or ""
        if not value:
            return None
        parent = resolve_parent(article=self.article, value=value)
        if parent is None:
            raise ValidationError(
                _("Auf diesen Kommentar kann nicht geantwortet werden."), code="parent"
            )
        return parent

    def clean_feedback(self) -> FeedbackPoint | None:
        """The active feedback point of this article that is answered, or None."""
        value = self.cleaned_data.get("feedback") or ""
        if not value:
            return None
        point = resolve_feedback_point(article=self.article, value=value)
        if point is None:
            raise ValidationError(
                _("Diese Feedback-Stelle gibt es nicht mehr."), code="feedback_point"
            )
        return point

    def add_service_error(self, exc: ValidationError) -> None:
        """Show a service's ``ValidationError`` on the field it concerns.

        Routed by error code (``ERROR_FIELDS``) or, for model validation, by field
        name; never by the wording, which depends on the language.
        """
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                for error in errors:
                    self.add_error(self._field_for(name), error)
            return
        for error in exc.error_list:
            self.add_error(self._field_for(self.ERROR_FIELDS.get(error.code or "")), error)

    def _field_for(self, name: str | None) -> str | None:
        return name if name in self.fields else None


def resolve_parent(*, article: Article | None, value: Any) -> Comment | None:
    """The public comment of ``article`` with the id in ``value`` (None: malformed or gone)."""
    pk = parse_id(value)
    if article is None or pk is None:
        return None
    return Comment.objects.public().filter(pk=pk, article=article).first()


def resolve_feedback_point(*, article: Article | None, value: Any) -> FeedbackPoint | None:
    """The active feedback point of ``article`` with the id in ``value``, or None."""
    pk = parse_id(value)
    if article is None or pk is None:
        return None
    return FeedbackPoint.objects.filter(pk=pk, article=article, is_active=True).first()


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail"))
    kind = forms.ChoiceField(
        label=_("Benachrichtigen bei"),
        choices=Subscription.Kind.choices,
        initial=Subscription.Kind.ALL,
        widget=forms.RadioSelect,
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Grund"), choices=CommentReport.Reason.choices)
    note = forms.CharField(
        label=_("Anmerkung (freiwillig)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ManageRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail"))


# "https://…/artikel/#kommentar-123", "/kommentare/melden/123/" or just "123".
COMMENT_REF_RE = re.compile(r"(?:kommentar-|hinweis/|melden/)(\d+)|^\s*(\d+)\s*$")


class NoticeForm(forms.Form):
    """The DSA notice (Art. 16(2)): which comment, why, who, and in good faith."""

    comment_link = forms.CharField(
        label=_("Link zum Kommentar"),
        max_length=500,
        required=False,
        help_text=_("Die Adresse des Kommentars (Klick auf seine Uhrzeit) oder seine Nummer."),
    )
    ground = forms.ChoiceField(label=_("Grund"), choices=[("", "—"), *grounds.grouped_choices()])
    explanation = forms.CharField(
        label=_("Begründung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Warum ist der Kommentar rechtswidrig oder verstößt er gegen die Regeln?"),
    )
    name = forms.CharField(label=_("Ihr Name"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        required=False,
        help_text=_(
            "Für die Eingangsbestätigung und unsere Entscheidung. Nur bei Darstellungen "
            "sexuellen Missbrauchs von Kindern dürfen Sie Name und Adresse weglassen."
        ),
    )
    good_faith = forms.BooleanField(
        label=_(
            "Ich bin in gutem Glauben davon überzeugt, dass die Angaben in diesem Hinweis "
            "richtig und vollständig sind."
        )
    )

    def __init__(self, *args: Any, comment: Comment | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.comment = comment
        if comment is not None:
            del self.fields["comment_link"]
        else:
            self.fields["comment_link"].required = True

    def clean_comment_link(self) -> str:
        value = self.cleaned_data.get("comment_link", "")
        match = COMMENT_REF_RE.search(value or "")
        comment_id = parse_id((match.group(1) or match.group(2)) if match else None)
        comment = (
            Comment.objects.public().filter(pk=comment_id).select_related("article").first()
            if comment_id
            else None
        )
        if comment is None:
            raise ValidationError(
                _("Diesen Kommentar finden wir nicht. Bitte prüfen Sie den Link.")
            )
        self.comment = comment
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("ground")
        if code and not grounds.ground(code).anonymous:
            if not (data.get("name") or "").strip():
                self.add_error("name", _("Bitte geben Sie Ihren Namen an."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Bitte geben Sie Ihre E-Mail-Adresse an."))
        return data


class ReviewForm(forms.Form):
    explanation = forms.CharField(
        label=_("Warum sollen wir die Entscheidung überprüfen?"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PassageSelect(forms.Select):
    """A select of an article's paragraphs: each quoted paragraph carries the article's
    language (``lang``) when the page is in another one; the interface's own choice
    ("Der ganze Artikel") does not."""

    passage_language = ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):  # type: ignore[no-untyped-def]
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        page_language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        language = self.passage_language.split("-")[0]
        if value not in ("", None) and language and language != page_language:
            option["attrs"]["lang"] = self.passage_language
        return option


class ErrorReportForm(forms.Form):
    """ "Fehler melden": what is wrong, optionally where (a paragraph) and who asks."""

    paragraph = forms.TypedChoiceField(
        label=_("Stelle im Artikel"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=PassageSelect,
    )
    text = forms.CharField(
        label=_("Was ist falsch?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Bitte nennen Sie, was stimmt, und wenn möglich eine Quelle."),
    )
    name = forms.CharField(label=_("Name (freiwillig)"), max_length=120, required=False)
    email = forms.EmailField(
        label=_("E-Mail (freiwillig)"),
        required=False,
        help_text=_("Dann sagen wir Ihnen Bescheid, wenn wir korrigiert haben."),
    )

    def __init__(
        self, *args: Any, paragraphs: list[str], language: str = "", **kwargs: Any
    ) -> None:
        """``paragraphs``: the article's, ``language``: the one they are written in."""
        super().__init__(*args, **kwargs)
        field = self.fields["paragraph"]
        assert isinstance(field, forms.TypedChoiceField)
        assert isinstance(field.widget, PassageSelect)
        field.widget.passage_language = language
        field.choices = [
            ("", _("Der ganze Artikel")),
            *(
                (i, f"{i + 1}: {p[:90]}{'…' if len(p) > 90 else ''}")
                for i, p in enumerate(paragraphs)
            ),
        ]
