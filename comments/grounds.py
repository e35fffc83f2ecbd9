"""The catalogue of grounds: why a comment may be reported or removed.

One list serves the reader's notice form (DSA Art. 16: "the reasons why the
information is illegal content"), the moderator's rejection (Art. 17: "the legal
or contractual ground relied on") and the transparency report (Art. 24, notices
by category). A ground is either a legal provision (``illegal``) or one of the
site's discussion rules (``rules``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ILLEGAL = "illegal"
RULES = "rules"


@dataclass(frozen=True)
class Ground:
    code: str
    kind: str  # ILLEGAL or RULES
    label: str | Promise
    basis: str | Promise  # the provision or the rule, named in the statement of reasons
    # Art. 16(2)(c): name and address may be left out only for notices about the
    # offences of Directive 2011/93/EU (sexual abuse of children).
    anonymous: bool = False


GROUNDS: tuple[Ground, ...] = (
    Ground("insult", ILLEGAL, _("Beleidigung, üble Nachrede, Verleumdung"), "§§ 185–187 StGB"),
    Ground(
        "incitement",
        ILLEGAL,
        _("Volksverhetzung oder Aufforderung zu Straftaten"),
        "§§ 111, 130 StGB",
    ),
    Ground("threat", ILLEGAL, _("Bedrohung"), "§ 241 StGB"),
    Ground(
        "privacy",
        ILLEGAL,
        _("Verletzung der Privatsphäre oder personenbezogener Daten"),
        "§ 201a StGB, §§ 22, 23 KUG, Art. 6 DSGVO",
    ),
    Ground(
        "symbols",
        ILLEGAL,
        _("Kennzeichen verfassungswidriger Organisationen"),
        "§ 86a StGB",
    ),
    Ground(
        "child_abuse",
        ILLEGAL,
        _("Darstellung sexuellen Missbrauchs von Kindern"),
        "§ 184b StGB",
        anonymous=True,
    ),
    Ground(
        "other_illegal",
        ILLEGAL,
        _("Anderer Rechtsverstoß (bitte Vorschrift nennen)"),
        _("die in der Begründung genannte Vorschrift"),
    ),
    Ground(
        "rules_tone",
        RULES,
        _("Persönlicher Angriff oder herabwürdigender Ton"),
        _("Diskussionsregeln: respektvoller Umgang"),
    ),
    Ground(
        "rules_off_topic",
        RULES,
        _("Am Thema vorbei"),
        _("Diskussionsregeln: beim Thema des Artikels bleiben"),
    ),
    Ground(
        "rules_spam",
        RULES,
        _("Werbung oder Spam"),
        _("Diskussionsregeln: keine Werbung, keine Wiederholungen"),
    ),
    Ground(
        "rules_other",
        RULES,
        _("Anderer Verstoß gegen die Diskussionsregeln"),
        _("Diskussionsregeln"),
    ),
)

BY_CODE = {g.code: g for g in GROUNDS}
CODES = tuple(BY_CODE)

# The automatic checks that reject a comment, and the ground their statement names.
AUTOMATED_GROUNDS = {
    "banned_word": "rules_tone",
    "banned_address": "rules_other",
    "banned_ip": "rules_other",
}


def ground(code: str) -> Ground:
    """The catalogue entry for ``code`` (``KeyError`` for an unknown code)."""
    return BY_CODE[code]


def choices(kind: str | None = None) -> list[tuple[str, str | Promise]]:
    """(code, label) pairs, optionally of one kind, for form fields."""
    return [(g.code, g.label) for g in GROUNDS if kind is None or g.kind == kind]


def grouped_choices() -> list[tuple[str | Promise, list[tuple[str, str | Promise]]]]:
    """The choices grouped as the notice form shows them (illegal first, then the rules)."""
    return [
        (_("Rechtswidriger Inhalt"), choices(ILLEGAL)),
        (_("Verstoß gegen die Diskussionsregeln"), choices(RULES)),
    ]
