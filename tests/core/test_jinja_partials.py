"""The Jinja2 partials (``templates/**/*.jinja``, environment ``newsroom.templating``)
print what Django's engine would print: the same escaping for every text of the awkward
corpus and every kind of value, the same translations, placeholders and dates in both
languages; every string they show is in the catalogue and every partial compiles
(issue #14: Jinja2 for the repeated partials, pages byte for byte as before)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template import Context, Template, engines
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.utils.translation.template import templatize

from tests.support.corpus import AWKWARD

ROOT = Path(__file__).resolve().parents[2]
PARTIALS = sorted((ROOT / "templates").rglob("*.jinja"))
MOMENT = dt.datetime(2025, 3, 30, 1, 30, 15, 123456, tzinfo=dt.UTC)  # the night of the DST switch

VALUES = {
    **{f"corpus-{key}": text for key, text in AWKWARD.items()},
    "safe-markup": mark_safe("<b>fett</b> & 'so'"),
    "lazy-translation": gettext_lazy("Antworten"),
    "none": None,
    "id": 987654,
    "negative": -3,
    "float": 1.5,
    "decimal": Decimal("1234.50"),
    "bool": True,
    "date": dt.date(2025, 12, 24),
    "datetime": MOMENT,
}


def jinja(source: str, **context: object) -> str:
    return engines["jinja2"].env.from_string(source).render(context)


def django(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("key", VALUES)
def test_a_printed_value_reads_as_in_a_django_template(key, language):
    with translation.override(language):
        assert jinja("{{ value }}", value=VALUES[key]) == django("{{ value }}", value=VALUES[key])


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "text", [AWKWARD["quotes"], AWKWARD["html_ish"], AWKWARD["entities"], "O'Brien & Söhne"]
)
def test_translations_and_their_placeholders_read_as_djangos_tags(text, language):
    with translation.override(language):
        assert jinja('{{ _("Empfehlung der Redaktion") }}') == django(
            '{% load i18n %}{% translate "Empfehlung der Redaktion" %}'
        )
        assert jinja(
            '{{ _("Auftraggeber: %(sponsor)s")|interpolate(sponsor=sponsor) }}', sponsor=text
        ) == django(
            "{% load i18n %}{% blocktranslate %}Auftraggeber: {{ sponsor }}{% endblocktranslate %}",
            sponsor=text,
        )


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("moment", [MOMENT, MOMENT + dt.timedelta(days=200), None])
def test_dates_and_times_read_as_djangos_filters(moment, language, settings):
    with translation.override(language), timezone.override("Europe/Berlin"):
        for jinja_filter, django_filter in [
            ('date("j. F Y, H:i")', 'date:"j. F Y, H:i"'),
            ('date("DATE_FORMAT")', 'date:"DATE_FORMAT"'),
            ('time("H:i")', 'time:"H:i"'),
            ("iso_datetime", "iso_datetime"),
            ("truncatewords(3)", "truncatewords:3"),
        ]:
            assert jinja(f"{{{{ moment|{jinja_filter} }}}}", moment=moment) == django(
                f"{{% load reader %}}{{{{ moment|{django_filter} }}}}", moment=moment
            ), jinja_filter


@pytest.mark.parametrize("path", PARTIALS, ids=lambda p: p.name)
def test_every_partial_compiles(path):
    name = path.relative_to(ROOT / "templates").as_posix()
    assert engines["jinja2"].env.get_template(name) is not None


def test_every_string_of_the_partials_is_in_the_english_catalogue():
    """``makemessages`` reads ``*.jinja`` (Makefile) and finds ``_("…")`` in a
    ``{{ }}`` or a one-line ``{% set %}``: a partial using any other form would show
    German on /en/."""
    import re

    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    translated = {m.id for m in catalog if m.id and m.string}
    found = {}
    for path in PARTIALS:
        source = path.read_text()
        extracted = set(re.findall(r"""_\((?:"([^"]*)"|'([^']*)')\)""", templatize(source)))
        written = set(re.findall(r"""_\((?:"([^"]*)"|'([^']*)')\)""", source))
        assert written == extracted, path.name  # every _("…") is one makemessages finds
        found[path.name] = {a or b for a, b in written}
    assert found["comments.jinja"] >= {"Antworten", "Melden", "Gelöscht"}
    assert found["sponsored_label.jinja"] >= {"ANZEIGE", "Auftraggeber: %(sponsor)s"}
    missing = sorted(m for strings in found.values() for m in strings if m not in translated)
    assert missing == []


@pytest.mark.parametrize("debug", [True, False])
def test_a_value_left_out_prints_nothing_in_development_and_production(debug):
    """Django's Jinja2 backend would print ``{{ teaser_class }}`` for a missing value
    under DEBUG (``DebugUndefined``); the partials leave optional values out."""
    from django.template.backends.jinja2 import Jinja2
    from django.test import override_settings

    with override_settings(DEBUG=debug):
        engine = Jinja2(
            {
                "NAME": "probe",
                "DIRS": [],
                "APP_DIRS": False,
                "OPTIONS": {"environment": "newsroom.templating.environment"},
            }
        )
        assert engine.env.from_string("[{{ missing }}{{ missing|default('') }}]").render() == "[]"
