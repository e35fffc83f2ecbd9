"""An article body prepared for the page: cleaned HTML split after a paragraph.

The reader page puts the inline ad slot between ``before`` and ``after`` and the
agency credit at the end. Pure functions on sanitiser output; no queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

VOID_ELEMENTS = {"br", "hr", "img", "wbr", "input", "meta", "link", "source", "col"}


class _TopLevelParagraphs(HTMLParser):
    """Finds the end offsets of top-level ``</p>`` tags in (sanitised) HTML."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_offsets = [0]
        for line in source.splitlines(keepends=True):
            self.line_offsets.append(self.line_offsets[-1] + len(line))
        self.depth = 0
        self.paragraph_ends: list[tuple[int, int]] = []  # (start of </p>, end of </p>)
        self.last_top_level_tag: str | None = None

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_offsets[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.last_top_level_tag = tag
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.last_top_level_tag = tag

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0 and tag == "p":
            start = self._offset()
            self.paragraph_ends.append((start, self.source.index(">", start) + 1))

    def handle_data(self, data):
        if self.depth == 0 and data.strip():
            self.last_top_level_tag = None


@dataclass
class BodyParts:
    """The cleaned body split after paragraph N: ``before`` and ``after`` (both safe HTML)."""

    before: SafeString
    after: SafeString


def split_body(cleaned: str, *, after_paragraph: int, credit: str = "") -> BodyParts:
    """Split sanitiser output at a top-level paragraph boundary; append ``(credit)``.

    The agency credit goes at the end of the last top-level paragraph, or in
    its own paragraph when the body ends with something else (a list, a table).
    """
    parser = _TopLevelParagraphs(cleaned)
    parser.feed(cleaned)
    parser.close()
    if credit:
        credit_html = f" ({escape(credit)})"
        if parser.paragraph_ends and parser.last_top_level_tag == "p":
            insert_at = parser.paragraph_ends[-1][0]
            cleaned = cleaned[:insert_at] + credit_html + cleaned[insert_at:]
            # Offsets before the insertion point are unchanged; the last one moved.
            start, end = parser.paragraph_ends[-1]
            parser.paragraph_ends[-1] = (start + len(credit_html), end + len(credit_html))
        else:
            cleaned = f'{cleaned}<p class="agency-credit">{credit_html.strip()}</p>'
    if after_paragraph > 0 and len(parser.paragraph_ends) > after_paragraph:
        cut = parser.paragraph_ends[after_paragraph - 1][1]
        before, rest = cleaned[:cut], cleaned[cut:]
    else:
        before, rest = cleaned, ""
    # Safe: both halves are the sanitiser's output plus our escaped credit.
    return BodyParts(before=mark_safe(before), after=mark_safe(rest))  # noqa: S308
