"""Every admin change form counts its error messages, not the fields that have some:
two problems of the whole form (two date rules, two workflow checks) read "Fehler" in
the plural ("Bitte die unten aufgeführten Fehler korrigieren.")."""

from django import forms
from django.contrib.admin import helpers

SINGULAR = "Bitte den unten aufgeführten Fehler korrigieren."
PLURAL = "Bitte die unten aufgeführten Fehler korrigieren."


class TwoProblems(forms.Form):
    go_live = forms.CharField(required=False)

    def clean(self):
        self.add_error(None, "Der Zeitpunkt liegt in der Vergangenheit.")
        self.add_error(None, "Das Ablaufdatum liegt vor dem Erscheinen.")
        self.add_error("go_live", "Kein Datum.")
        self.add_error("go_live", "Keine Uhrzeit.")
        return self.cleaned_data


def test_the_admin_error_list_of_every_change_form_holds_each_message():
    """``helpers.AdminErrorList`` builds the ``errors`` of every admin change form."""
    form = TwoProblems(data={})
    assert not form.is_valid()
    assert len(helpers.AdminErrorList(form, [])) == 4
