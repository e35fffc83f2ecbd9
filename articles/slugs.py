"""URL slugs with German transliteration (ä→ae, ö→oe, ü→ue, ß→ss).

Django's ``slugify`` (and the admin's URLify) drop the umlaut dots, which
turns "Bürger" into "burger". German readers expect "buerger".
"""

from __future__ import annotations

from django.utils.text import slugify

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
    """Return an ASCII slug of ``text`` with German transliteration."""
    slug = slugify(text.translate(GERMAN_TRANSLITERATION))
    return slug[:max_length].strip("-")


def unique_slug(text: str, *, queryset, max_length: int = 200, exclude_pk=None) -> str:
    """A German slug of ``text`` not yet used in ``queryset`` (adds -2, -3, ...)."""
    base = german_slugify(text, max_length=max_length) or "artikel"
    taken = queryset.exclude(pk=exclude_pk) if exclude_pk else queryset
    candidate, counter = base, 2
    while taken.filter(slug=candidate).exists():
        suffix = f"-{counter}"
        candidate = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return candidate
