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
