"""Reader forms of the comments app (validation only; writes go through services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import CommentReport, Subscription

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
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    feedback = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ts = forms.CharField(required=False, widget=forms.HiddenInput)
    # Idempotency key: random per form, so sending the same form twice stores one comment.
    key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and aria-hidden, filled by bots.
    website = forms.CharField(label=_("Website"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
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
