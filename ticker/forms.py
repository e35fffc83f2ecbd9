"""The compact entry form of the ticker admin."""

from __future__ import annotations

from ckeditor.widgets import CKEditorWidget
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from articles.models import Image
from core.admin import KeepUnchangedTimes
from core.richtext import RichTextFormField
from ticker.models import TickerEntry


class EntryForm(KeepUnchangedTimes, forms.Form):
    """Time, text, optional picture and marks; the text is sanitised by the service. A
    correction's unchanged time keeps the stored one to the microsecond."""

    time = forms.SplitDateTimeField(
        label=_("Zeit"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Leer lassen für jetzt."),
    )
    body = RichTextFormField(
        label=_("Text"), max_length=5000, widget=CKEditorWidget(config_name="ticker")
    )
    image = forms.ModelChoiceField(
        label=_("Bild"),
        queryset=Image.objects.all(),
        required=False,
        widget=AutocompleteSelect(TickerEntry._meta.get_field("image"), admin.site),
    )
    key_event = forms.BooleanField(label=_("Schlüsselereignis"), required=False)
    pinned = forms.BooleanField(label=_("Angeheftet"), required=False)
    closing = forms.BooleanField(
        label=_("Schlusseintrag"),
        required=False,
        help_text=_("Beendet den Liveticker; die Seite bleibt als Archiv lesbar."),
    )

    @staticmethod
    def initial_for(entry: TickerEntry) -> dict[str, object]:
        """The form's values for ``entry`` (what a correction starts from)."""
        return {
            "time": entry.time,
            "body": entry.body,
            "image": entry.image_id,
            "key_event": entry.key_event,
            "pinned": entry.pinned,
            "closing": entry.closing,
        }

    @classmethod
    def for_entry(cls, entry: TickerEntry) -> EntryForm:
        return cls(initial=cls.initial_for(entry))
