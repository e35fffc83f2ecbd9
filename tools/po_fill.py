"""Fill English translations into locale/en/LC_MESSAGES/django.po from a JSON map.

Usage: python tools/po_fill.py translations.json   (JSON object: German msgid -> English;
a message with a context (pgettext) is keyed "context\u0004msgid", as gettext stores it)
Also: python tools/po_fill.py --missing   lists msgids that still lack an English text.
Developer tool; keeps the catalogue's other entries untouched.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> int:
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    if sys.argv[1:] == ["--missing"]:
        for message in catalog:
            if message.id and (
                not message.string
                or (isinstance(message.string, tuple) and not all(message.string))
                or message.fuzzy
            ):
                print(json.dumps(message.id, ensure_ascii=False))
        return 0
    mapping = json.loads(Path(sys.argv[1]).read_text())
    catalog.fuzzy = False  # makemessages marks a new header fuzzy; Babel skips such files
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if message.context:
            key = f"{message.context}\x04{key}"
        if key in mapping:
            value = mapping[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
    with PO.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, include_previous=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
