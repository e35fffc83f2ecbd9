"""Awkward text: one corpus fed through every path that makes a slug, a URL or a page.

``AWKWARD`` maps a readable id (used as pytest id) to the text. ``SLUG_EXPECTED``
pins the slugs a German reader expects for some of them. ``NUL`` texts must be
refused with a clear form error (PostgreSQL cannot store NUL in text).
"""

from __future__ import annotations

NUL = "\x00"

AWKWARD: dict[str, str] = {
    "umlauts": "Bürgerämter öffnen länger – Über Öl und Äpfel",
    "eszett": "Straße, Fußball und GROẞE Maße",
    "decomposed_umlaut": "Bu\u0308rger a\u0308rgern sich",
    "turkish": "Kılıçdaroğlu İstanbul’da şaşırttı",
    "polish": "Łódź, Gdańsk i Źródło",
    "nordic": "Øresund Ærø Ålesund",
    "french": "L'été à Noël – ça coûte 1,5 Mio. €",
    "czech": "Příliš žluťoučký kůň",
    "vietnamese": "Tiếng Việt có dấu",
    "cyrillic": "Москва и Київ: Щедрость, ёлка",
    "greek": "Αθήνα και Θεσσαλονίκη",
    "arabic_rtl": "مرحبا بالعالم",
    "hebrew_rtl": "שלום עולם",
    "bidi_override": "Admin\u202egnp.exe",
    "bidi_isolates": "\u2066Text\u2069 \u200fRLM\u200e",
    "zero_width": "Zero\u200bWidth\u200c\u200dJoiner\ufeff",
    "emoji_only": "🎉🔥👍🏽",
    "emoji_mixed": "Feuerwehr 🚒 rückt aus 👨‍👩‍👧",
    "cjk": "北京 東京 서울",
    "html_ish": '<script>alert("x")</script> & <b>fett</b>',
    "entities": "AT&amp;T &#228; &lt;b&gt;",
    "quotes": "„Zitat“ »Guillemets« 'single' \"double\"",
    "math_symbols": "x² + y³ = ½ · ∞ ≠ ∑",
    "fullwidth": "ＦＵＬＬＷＩＤＴＨ ｶﾀｶﾅ",
    "whitespace_only": " \t\u00a0\u2003 ",
    "punctuation_only": "--- !!! ???",
    "dashes_and_slashes": "a/b\\c%2Fd?e#f",
    "very_long": ("Überlänge " * 500)[:5000],
    "nul": f"Null{NUL}Byte",
}

# Texts that must be refused (never stored, never a 500).
REFUSED = {"nul"}
# Texts with nothing a slug can be made of in any script.
NO_SLUG = {"emoji_only", "whitespace_only", "punctuation_only"}

SLUG_EXPECTED = {
    "Łódź": "lodz",
    "Øresund": "oresund",
    "Kılıçdaroğlu": "kilicdaroglu",
    "Fußball": "fussball",
    "Bürgerämter öffnen länger": "buergeraemter-oeffnen-laenger",
    "ÄÖÜ ẞ": "aeoeue-ss",
    "Москва": "moskva",
    "Αθήνα": "athena",
    "Bu\u0308rger": "buerger",
}


def storable() -> dict[str, str]:
    """The corpus without the texts that must be refused."""
    return {key: text for key, text in AWKWARD.items() if key not in REFUSED}
