"""Rich text (CKEditor) compared by what it says, not by how it is written.

CKEditor 4 sends a body back in its own serialisation, never byte for byte what
was stored: named entities for every non-ASCII character (``&ouml;``, ``&bdquo;``),
CRLF line ends, a blank line between blocks and a tab before each list item. A
plain comparison therefore took every rich-text field as edited, so an admin form
saved without an edit made a new version (and refused a colleague's real edit as a
conflict).

``html_meaning`` reduces HTML to what a reader gets: the body sanitised with the
editorial allow-list (``core.sanitize``), entities decoded, attributes in a fixed
order, runs of whitespace collapsed and whitespace next to a block boundary
dropped (the browser shows none of it). ``RichTextFormField`` is the form field of
every rich-text field in the admin: it compares by that meaning and, when the
meaning is unchanged, cleans to the stored text itself, so an unchanged save never
rewrites it. No side effects.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from django import forms

from core.sanitize import clean_body_html

# Where whitespace is not shown: at the start and end of these elements, between them.
BLOCK_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure",
        "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "hr",
    }
)  # fmt: skip
# HTML's whitespace (not Python's \s: a no-break space is meant).
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")

Token = tuple[str, str, tuple[tuple[str, str], ...]]


class _Tokens(HTMLParser):
    """Start tags (attributes sorted), end tags and text (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, tuple(sorted((k, v or "") for k, v in attrs))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag, ()))

    def handle_data(self, data: str) -> None:
        text = _HTML_SPACE.sub(" ", data)
        if self.tokens and self.tokens[-1][0] == "text":
            text = self.tokens.pop()[1] + text
            text = _HTML_SPACE.sub(" ", text)
        self.tokens.append(("text", text, ()))


def _is_block(token: Token | None) -> bool:
    return token is None or (token[0] != "text" and token[1] in BLOCK_TAGS)


def html_meaning(html: str) -> tuple[Token, ...]:
    """What ``html`` shows a reader, as tokens: equal for equal meaning (see module)."""
    parser = _Tokens()
    parser.feed(clean_body_html(html or ""))
    parser.close()
    tokens = parser.tokens
    meaning: list[Token] = []
    for index, token in enumerate(tokens):
        if token[0] != "text":
            meaning.append(token)
            continue
        text = token[1]
        if _is_block(tokens[index - 1] if index else None):
            text = text.lstrip(" ")
        if _is_block(tokens[index + 1] if index + 1 < len(tokens) else None):
            text = text.rstrip(" ")
        if text:
            meaning.append(("text", text, ()))
    return tuple(meaning)


def same_html(first: str, second: str) -> bool:
    """True when both texts mean the same to a reader (serialisation aside)."""
    return first == second or html_meaning(first) == html_meaning(second)


class RichTextFormField(forms.CharField):
    """The form field of a rich-text (CKEditor) field: changed only when its meaning is.

    Bound to a stored value (a model form), it cleans an unchanged text to the
    stored one, so saving never rewrites it. Use it for every field with a CKEditor
    widget (``Meta.field_classes`` in a model form); a test checks that every admin
    form does.
    """

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        return not same_html(initial or "", self.to_python(data) or "")

    def _clean_bound_field(self, bf: forms.BoundField) -> Any:
        # Django's hook for "clean with the initial value" (FileField uses it too).
        value = super()._clean_bound_field(bf)  # type: ignore[misc]
        initial = bf.initial
        if isinstance(initial, str) and initial and not self.has_changed(initial, bf.data):
            return initial
        return value
