"""Numbers from requests: one parser for every query string, form field and header.

``str.isdigit()`` and ``int()`` are not a validation of request data:
``"²".isdigit()`` is true but ``int("²")`` raises, ``int("１")`` and ``int("٣")``
accept non-ASCII digits, ``int(" 7 ")``, ``int("+7")`` and ``int("1_000")``
accept what no link of ours produces, and a 5,000-digit number overflows a
database column. ``parse_int`` accepts only what our own links and forms send:
ASCII digits, bounded, and answers ``None`` for anything else, so a view can
ignore the parameter or answer 404 instead of raising a 500.

A test (``tests/newsroom/test_request_numbers.py``) walks the code and fails
when a view parses a number from a request by hand.
"""

from __future__ import annotations

import re

# A bigint column holds at most 2**63 - 1 (19 digits); no id of ours is larger.
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``value`` as an int when it is 1-19 ASCII digits within [minimum, maximum], else None.

    No sign, no spaces, no exponent, no separators: ``"-1"``, ``" 7"``, ``"1e3"``,
    ``"1_000"``, ``"²"``, ``"１"`` and ``""`` are all None. Never raises.
    """
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def parse_id(value: object) -> int | None:
    """A database id (1 to the bigint maximum) from a request, else None."""
    return parse_int(value, minimum=1)


def parse_ids(value: object, *, separator: str, limit: int) -> list[int]:
    """The valid ids of a ``separator``-joined list (at most ``limit`` parts read).

    Malformed parts are dropped, never an error.
    """
    if not isinstance(value, str) or not value:
        return []
    parsed = (parse_id(part) for part in value.split(separator, limit)[:limit])
    return [number for number in parsed if number is not None]
