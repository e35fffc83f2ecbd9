"""Links to views that take one id, without ``reverse()`` per link (issue #14).

``reverse()`` walks the URL resolver on every call (about 30 µs); a comment thread
links every comment three times. ``id_url`` reverses a view once per process, language,
script prefix and URLconf with a sentinel id and from then on puts the id into the
result. Only for views whose single argument is an integer id: the sentinel must
appear exactly once in the URL (checked).
"""

from __future__ import annotations

import threading

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

_SENTINEL = 987_654_321_987
_patterns: dict[tuple[str, str | None, str, object], tuple[str, str]] = {}
_lock = threading.Lock()


def id_url(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a view whose one argument is an integer id."""
    key = (viewname, translation.get_language(), get_script_prefix(), get_urlconf())
    pattern = _patterns.get(key)
    if pattern is None:
        parts = reverse(viewname, args=[_SENTINEL]).split(str(_SENTINEL))
        if len(parts) != 2:
            raise ValueError(f"{viewname}: the id must appear exactly once in its URL")
        pattern = (parts[0], parts[1])
        with _lock:
            _patterns[key] = pattern
    return f"{pattern[0]}{int(pk)}{pattern[1]}"
