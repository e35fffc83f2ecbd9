"""``check --deploy`` stops a release whose translations were never compiled."""

import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from newsroom.checks import check_compiled_catalogues

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Seite nicht gefunden"
msgstr "Page not found"
"""


def catalogue(tmp_path, *, compiled: bool):
    folder = tmp_path / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "django.po"
    source.write_text(PO)
    if compiled:
        with source.open("rb") as po, (folder / "django.mo").open("wb") as mo:
            write_mo(mo, read_po(po))
    return source


def test_the_deploy_check_names_a_catalogue_that_was_never_compiled(tmp_path, settings):
    catalogue(tmp_path, compiled=False)
    settings.LOCALE_PATHS = [tmp_path]
    errors = check_compiled_catalogues(None)
    assert [error.id for error in errors] == ["newsroom.E002"]
    assert "django.mo is missing for" in errors[0].msg
    assert "pybabel compile" in errors[0].hint


def test_the_deploy_check_names_a_catalogue_changed_after_it_was_compiled(tmp_path, settings):
    source = catalogue(tmp_path, compiled=True)
    settings.LOCALE_PATHS = [tmp_path]
    assert check_compiled_catalogues(None) == []
    later = source.with_suffix(".mo").stat().st_mtime + 60
    os.utime(source, (later, later))  # a release brought a newer .po
    errors = check_compiled_catalogues(None)
    assert [error.id for error in errors] == ["newsroom.E002"]
    assert "is older than" in errors[0].msg
