"""The one slug function of the site: German transliteration, then python-slugify.

Articles, sections, authors, tags, image file names and the demo data all take
their slugs from :func:`german_slugify`. German comes first (ä→ae, ö→oe, ü→ue,
ß→ss: "Bürger" becomes "buerger", not Django's "burger"); every other script is
transliterated by python-slugify with text-unidecode (Łódź→lodz, Øresund→oresund,
Kılıçdaroğlu→kilicdaroglu, Москва→moskva). The admin's script
``articles/static/articles/admin/urlify_de.js`` implements the same steps over a
table generated from text-unidecode (``tools/build_slug_table.py``); a test runs
it over ``tests/support/corpus.py`` and compares.
"""

from __future__ import annotations

import unicodedata

from slugify import slugify

GERMAN_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "Ä": "Ae",
        "Ö": "Oe",
        "Ü": "Ue",
        "ß": "ss",
        "ẞ": "SS",
    }
)


def german_slugify(text: str, *, max_length: int = 200) -> str:
    """An ASCII slug (``[a-z0-9-]``, no leading/trailing dash) of ``text``; may be empty.

    Entities such as ``&amp;`` are not decoded (editors type text, not HTML), and
    the backend is pinned to text-unidecode so the admin script's table matches.
    """
    # NFC first: a decomposed "a" + U+0308 (as macOS sends it) gets the German rule too.
    text = unicodedata.normalize("NFC", str(text)).translate(GERMAN_TRANSLITERATION)
    slug = slugify(text, entities=False, decimal=False, hexadecimal=False, backend="text-unidecode")
    return slug[:max_length].strip("-")


def unique_slug(
    text: str, *, queryset, max_length: int = 200, exclude_pk=None, fallback: str = "artikel"
) -> str:
    """A slug of ``text`` not yet used in ``queryset`` (adds -2, -3, ...); ``fallback``
    when the text has no letters or digits in any script (only emoji, say)."""
    base = german_slugify(text, max_length=max_length) or fallback
    taken = queryset.exclude(pk=exclude_pk) if exclude_pk else queryset
    candidate, counter = base, 2
    while taken.filter(slug=candidate).exists():
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)].strip('-')}{suffix}"
        counter += 1
    return candidate
