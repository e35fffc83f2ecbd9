"""The reader site is German by default, English under /en/, and the English
catalogue is complete."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_english_catalogue_translates_every_string():
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == []


# A word followed by a bracketed plural ending: "minute(s)", "Minute(n)", "Kommentar(e)",
# "Bild(er)". Not a placeholder such as "%(s)s" (a percent sign stands before it).
PLURAL_HACK = re.compile(r"[^\W\d_](?:\((?:s|n|e|en|er|es|nen|in|innen)\))", re.UNICODE)


def test_no_message_builds_a_plural_with_brackets_use_ngettext():
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    hacks = []
    for message in catalog:
        texts = [message.id] if isinstance(message.id, str) else list(message.id)
        texts += [message.string] if isinstance(message.string, str) else list(message.string)
        hacks += [text for text in texts if text and PLURAL_HACK.search(text)]
    assert hacks == []
    templates = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.glob("**/templates/**/*.html")
        # Ours only: not installed packages, nor var/ (runtime files, e.g. the Wagtail
        # comparison's virtualenv under var/wagtail/).
        if not {".venv", "node_modules", "var"} & set(path.relative_to(ROOT).parts)
        for match in PLURAL_HACK.finditer(path.read_text())
    ]
    assert templates == []


def test_the_plural_pattern_finds_the_hacks_and_spares_placeholders():
    for hack in ("1 minute(s)", "2 Minute(n)", "3 Kommentar(e)", "4 Bild(er)"):
        assert PLURAL_HACK.search(hack), hack
    for fine in ("%(s)s Spam", "%(n)s gesendet", "(n = 3)"):
        assert not PLURAL_HACK.search(fine), fine


# A number and the word after it ("%(c)s Klicks"): the counted nouns are the words after
# the number in the catalogue's plural messages whose singular says another word there
# ("Klick"/"Klicks"; not "Artikel"/"Artikel"), in German and English.
NUMBER_AND_WORD = re.compile(r"%\(\w+\)[sd] ([^\W\d_][\w-]*)")
# In a template: a number, then the counted noun translated on its own.
NUMBER_THEN_TRANSLATE = re.compile(r"\}\}\s*\{% (?:translate|trans) [\"']([^\"']+)[\"']")


def test_a_number_before_a_counted_noun_is_always_worded_by_ngettext():
    """ "1 Klicks" comes from a number put before a plural noun in a message without a
    singular form (or before a noun translated on its own in a template)."""
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    nouns = set()
    for message in catalog:
        if isinstance(message.id, tuple):
            for one, many in ((message.id[0], message.id[1]), message.string[:2]):
                pairs = zip(
                    NUMBER_AND_WORD.findall(one), NUMBER_AND_WORD.findall(many), strict=False
                )
                nouns.update(plural for singular, plural in pairs if singular != plural)
    assert {"Kommentare", "Klicks", "Einblendungen"} <= nouns
    singular_only = [
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and any(word in nouns for word in NUMBER_AND_WORD.findall(message.id))
    ]
    assert singular_only == []
    templates = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for match in NUMBER_THEN_TRANSLATE.finditer(path.read_text())
        if match.group(1) in nouns
    ]
    assert templates == []


@pytest.mark.django_db
def test_reader_pages_are_german_by_default_and_english_under_en(client):
    german = client.get("/")
    english = client.get("/en/")
    assert german.status_code == english.status_code == 200
    assert '<html lang="de">' in german.text
    assert "Zum Inhalt springen" in german.text
    assert '<html lang="en">' in english.text
    assert "Skip to content" in english.text


# A date format written out in a template or in Python fixes the German order ("7. Dezember",
# "07.12.2026") on English pages too; the named formats (DATE_FORMAT, DATETIME_FORMAT,
# SHORT_DATE_FORMAT, MONTH_DAY_FORMAT, ...) follow the page's language. Literal formats
# are allowed only where they say nothing about order: machine formats, a time, a year,
# one name.
NEUTRAL_DATE_FORMATS = {
    *("c", "r", "U", "Y-m-d", r"Y-m-d\TH:i:sO"),  # machine formats
    *("H:i", "H:i:s", "F Y"),  # the same order in German and English
    *("Y", "m", "n", "d", "j", "D", "l", "F", "N"),  # one part (archive URLs, a weekday)
}
DATE_FILTER = re.compile(r"""\|(?:date|time)(?::|\()\s*(["'])(.*?)\1""")
DATE_FORMAT_CALL = re.compile(r"""\b(?:date_format|time_format)\([^,()]+,\s*(["'])(.*?)\1""")
STRFTIME_ORDER = re.compile(r"%d\.%m\.|%m/%d/")
OURS = ("articles", "comments", "ads", "pages", "ticker", "core", "newsroom", "templates")


def test_no_page_writes_a_date_in_a_fixed_language_order():
    found = []
    for folder in OURS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".html", ".jinja", ".txt", ".xml", ".py"}:
                continue
            source = path.read_text()
            pattern = DATE_FORMAT_CALL if path.suffix == ".py" else DATE_FILTER
            found += [
                f"{path.relative_to(ROOT)}: {match.group(2)!r}"
                for match in pattern.finditer(source)
                if not match.group(2).endswith("_FORMAT")
                and match.group(2) not in NEUTRAL_DATE_FORMATS
            ]
            if path.suffix == ".py" and "migrations" not in path.parts:
                found += [
                    f"{path.relative_to(ROOT)}: {m.group(0)}"
                    for m in STRFTIME_ORDER.finditer(source)
                ]
    assert found == []


def test_the_date_order_check_finds_fixed_orders_and_spares_named_ones():
    for fixed in ('{{ d|date:"j. F Y" }}', "{{ d|date:'d.m.Y' }}", '{{ d|date("j. F Y, H:i") }}'):
        assert [m.group(2) for m in DATE_FILTER.finditer(fixed)] != []
        assert all(m.group(2) not in NEUTRAL_DATE_FORMATS for m in DATE_FILTER.finditer(fixed))
    assert DATE_FORMAT_CALL.search('date_format(start, "j. F")').group(2) == "j. F"
    assert DATE_FILTER.search('{{ d|date:"DATE_FORMAT" }}').group(2) == "DATE_FORMAT"
