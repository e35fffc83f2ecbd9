"""URLs of views without a ``reverse()`` per link (issue #14).

``reverse()`` walks the URL resolver on every call (tens of µs, more with the language
switched for an article's own prefix); a front page links 33 articles, a comment thread
every comment three times. ``cached_reverse`` reverses a view once per process,
language, script prefix, URLconf and argument names with sentinel values, and from then
on puts the values in. Only ids (int) and ASCII slugs (``[-A-Za-z0-9_]``) go in that
way: they need no quoting, so the result is ``reverse()``'s; any other value, or a view
whose sentinels do not each appear once, goes through ``reverse()``.

Templates get the same through ``{% url %}`` (``core.templatetags.links``, a builtin of
the Django engine): a page's 30-odd navigation, footer and form links were a
``reverse()`` each.
"""

from __future__ import annotations

import re
import threading

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation

_SLUG = re.compile(r"[-A-Za-z0-9_]+")
_INT_SENTINEL = 987_654_321_900
_STR_SENTINEL = "zzlinkzz{}"
# key -> the URL cut at the values: [text, key, text, key, ..., text], or None (reverse)
_patterns: dict[tuple, list | None] = {}
_lock = threading.Lock()
_MISSING: list = []


def _pattern(
    viewname: str, values: dict[int | str, int | str], current_app: str | None
) -> list | None:
    sentinels = {
        key: _INT_SENTINEL + i if isinstance(value, int) else _STR_SENTINEL.format(i)
        for i, (key, value) in enumerate(values.items())
    }
    try:
        if all(isinstance(key, int) for key in sentinels):
            url = reverse(viewname, args=list(sentinels.values()), current_app=current_app)
        else:
            kwargs = {str(key): value for key, value in sentinels.items()}
            url = reverse(viewname, kwargs=kwargs, current_app=current_app)
    except NoReverseMatch:  # e.g. a pattern of four digits: reverse() each time
        return None
    pieces: list = [url]
    for key, sentinel in sentinels.items():
        head = pieces.pop()
        parts = head.split(str(sentinel))
        if len(parts) != 2:
            return None
        pieces += [parts[0], key, parts[1]]
    return pieces


def cached_reverse(
    viewname: str,
    *,
    args: tuple[int | str, ...] = (),
    kwargs: dict[str, int | str] | None = None,
    language: str | None = None,
    current_app: str | None = None,
) -> str:
    """``reverse(viewname, args=args)`` or ``reverse(viewname, kwargs=kwargs)`` under
    ``language`` (default the active one); ``current_app`` as for ``reverse()``."""
    language = language or translation.get_language()
    values: dict[int | str, int | str] = dict(enumerate(args))
    if kwargs:
        values = {name: value for name, value in kwargs.items()}
    simple = all(
        isinstance(v, int) or (isinstance(v, str) and _SLUG.fullmatch(v)) for v in values.values()
    )
    key = (
        viewname,
        language,
        get_script_prefix(),
        get_urlconf(),
        current_app,
        tuple((name, type(value)) for name, value in values.items()),
    )
    pieces = _patterns.get(key, _MISSING) if simple else None
    if pieces is _MISSING:
        with translation.override(language):
            pieces = _pattern(viewname, values, current_app)
        with _lock:
            _patterns[key] = pieces
    if pieces is None:
        with translation.override(language):
            return reverse(viewname, args=args or None, kwargs=kwargs, current_app=current_app)
    return "".join(piece if i % 2 == 0 else str(values[piece]) for i, piece in enumerate(pieces))


def id_url(viewname: str, pk: int) -> str:
    """``reverse(viewname, args=[pk])`` for a view whose one argument is an integer id."""
    return cached_reverse(viewname, args=(int(pk),))
