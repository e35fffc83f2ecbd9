"""Revision snapshots of articles and readable diffs between two of them.

A snapshot is plain JSON (ids plus display names), so old revisions stay
readable after sections, authors or images are renamed or deleted.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from articles.models import Article, RelatedArticle, RelatedLink
from core.sanitize import clean_body_html

# The article's content (Article.CONTENT_FIELDS), by how a snapshot stores it: values,
# foreign keys as {"id", "label"}; tags as a sorted list of names. Status and
# timestamps belong to the workflow and are only recorded, never restored.
FK_FIELDS = [
    name
    for name in Article.CONTENT_FIELDS
    if isinstance(Article._meta.get_field(name), models.ForeignKey)
]
CONTENT_FIELDS = [name for name in Article.CONTENT_FIELDS if name not in {*FK_FIELDS, "tags"}]
# Beyond the content fields: the inlines and the workflow state a snapshot records.
RELATED_FIELDS = ["authors", "tags", "related_articles", "related_links"]
WORKFLOW_FIELDS = ["status", "go_live_at", "expires_at"]


def _label(name: str) -> Any:
    """The field's name as the change form shows it (the model's verbose name)."""
    if name == "related_articles":
        return RelatedArticle._meta.verbose_name_plural
    if name == "related_links":
        return RelatedLink._meta.verbose_name_plural
    field = Article._meta.get_field(name)
    return field.verbose_name if isinstance(field, models.Field) else name


# In the order the comparison lists changes.
FIELD_LABELS = {
    name: _label(name) for name in [*CONTENT_FIELDS, *FK_FIELDS, *RELATED_FIELDS, *WORKFLOW_FIELDS]
}


def take_snapshot(article: Article) -> dict[str, Any]:
    """The full state of ``article`` (content, related items, workflow dates) as JSON."""
    snapshot: dict[str, Any] = {field: getattr(article, field) for field in CONTENT_FIELDS}
    for field in FK_FIELDS:
        related = getattr(article, field)
        snapshot[field] = {"id": related.pk, "label": str(related)} if related else None
    snapshot["authors"] = [
        {"id": a.author_id, "label": str(a.author)}
        for a in article.authorships.select_related("author").order_by("position", "id")
    ]
    snapshot["tags"] = sorted(article.tags.names())
    snapshot["related_articles"] = [
        {"id": r.related_id, "label": str(r.related)}
        for r in article.related_items.select_related("related").order_by("position", "id")
    ]
    snapshot["related_links"] = [
        {"title": link.title, "url": link.url}
        for link in article.related_links.order_by("position", "id")
    ]
    snapshot["status"] = article.status
    snapshot["go_live_at"] = article.go_live_at.isoformat() if article.go_live_at else None
    snapshot["expires_at"] = article.expires_at.isoformat() if article.expires_at else None
    return snapshot


_BLOCK_END = re.compile(r"(</(?:p|h[2-4]|li|blockquote|figure|tr|table|ul|ol)>|<br\s*/?>)", re.I)
_LINK = re.compile(r'<a\b[^>]*?\bhref="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_IMAGE_ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"[^>]*>', re.I)
_SPACE = re.compile(r"\s+")
# Words, runs of space and single other characters: what a word diff compares.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
LIST_FIELDS = {"authors", "tags", "related_articles", "related_links"}
DATE_FIELDS = {"go_live_at", "expires_at"}


def body_text_lines(html: str) -> list[str]:
    """The body as a reader reads it: one line of plain text per block (paragraph,
    heading, list item …), over the sanitised HTML; a link keeps its target as
    "text [→ url]", an image its alt text. No markup, entities decoded."""
    cleaned = clean_body_html(html)
    cleaned = _LINK.sub(lambda m: f"{m.group(2)} [→ {m.group(1)}]", cleaned)
    cleaned = _IMAGE_ALT.sub(lambda m: f"[{_('Bild')}: {m.group(1)}]", cleaned)
    lines = []
    for block in _BLOCK_END.sub(r"\1\n", cleaned).splitlines():
        text = _SPACE.sub(" ", unescape(strip_tags(block))).strip()
        if text:
            lines.append(text)
    return lines


def _choice_label(field: str, value: Any) -> str:
    choices = dict(Article._meta.get_field(field).flatchoices)  # type: ignore[union-attr]
    return str(choices.get(value, value))


def _display_lines(field: str, value: Any) -> list[str]:
    """Comparable lines for one snapshot value, as the field means it (rendered text)."""
    if value is None or value == "":
        return []
    if field == "body":
        return body_text_lines(value)
    if field in DATE_FIELDS:
        moment = parse_datetime(value) if isinstance(value, str) else value
        if moment is None:
            return [str(value)]
        berlin = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
        return [f"{date_format(berlin, 'DATETIME_FORMAT')} ({settings.TIME_ZONE})"]
    if field in {"status", "comment_mode", "language"}:
        return [_choice_label(field, value)]
    if isinstance(value, bool):
        return [str(_("ja") if value else _("nein"))]
    if isinstance(value, list):
        return [
            item["label"]
            if isinstance(item, dict) and "label" in item
            else (f"{item['title']} – {item['url']}" if isinstance(item, dict) else str(item))
            for item in value
        ]
    if isinstance(value, dict):
        return [value.get("label", "")]
    return [line for line in str(value).splitlines() or [""]]


def _marked(tokens: list[str], tag: str) -> str:
    text = "".join(tokens)
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """``old`` and ``new`` as escaped HTML with the changed words marked: removed ones
    in ``<del>`` on the old side, added ones in ``<ins>`` on the new side. Every piece
    of the text is escaped; only the markers are markup."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    left: list[str] = []
    right: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
            continue
        left.append(_marked(a[i1:i2], "del"))
        right.append(_marked(b[j1:j2], "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 (all escaped)


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff: ``kind`` is equal, replace, delete or insert.

    ``old``/``new`` are plain text; ``old_html``/``new_html`` the same, escaped, with
    changed words in ``<del>``/``<ins>`` (for ``replace`` rows word by word).
    """

    kind: str
    old: str
    new: str
    old_html: SafeString = dataclasses.field(default_factory=SafeString)
    new_html: SafeString = dataclasses.field(default_factory=SafeString)


def _row(kind: str, old: str, new: str) -> DiffRow:
    if kind == "replace" and old and new:
        old_html, new_html = word_diff(old, new)
    else:
        tag_old, tag_new = ("", "") if kind == "equal" else ("del", "ins")
        old_html = mark_safe(_marked([old], tag_old) if tag_old else escape(old))  # noqa: S308
        new_html = mark_safe(_marked([new], tag_new) if tag_new else escape(new))  # noqa: S308
    return DiffRow(kind, old, new, old_html, new_html)


@dataclass(frozen=True)
class FieldDiff:
    """A changed field: ``rows`` side by side, or for lists (tags, authors, related
    items) the ``added`` and ``removed`` entries."""

    field: str
    label: str
    rows: list[DiffRow]
    added: list[str] = dataclasses.field(default_factory=list)
    removed: list[str] = dataclasses.field(default_factory=list)


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """The differences of two snapshots as an editor reads them, one entry per changed
    field: text with changed words marked, the body as text (one line per block),
    dates in newsroom time, status and choices as their labels, lists as added/removed.

    Plain values are escaped by the template; the ``*_html`` values are escaped here.
    """
    changes: list[FieldDiff] = []
    for name, label in FIELD_LABELS.items():
        old_lines = _display_lines(name, old.get(name))
        new_lines = _display_lines(name, new.get(name))
        if old_lines == new_lines:
            continue
        if name in LIST_FIELDS and set(old_lines) != set(new_lines):
            changes.append(
                FieldDiff(
                    field=name,
                    label=str(label),
                    rows=[],
                    added=[item for item in new_lines if item not in old_lines],
                    removed=[item for item in old_lines if item not in new_lines],
                )
            )
            continue
        rows: list[DiffRow] = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                rows.extend(_row("equal", line, line) for line in old_lines[i1:i2])
                continue
            left, right = old_lines[i1:i2], new_lines[j1:j2]
            for index in range(max(len(left), len(right))):
                old_line = left[index] if index < len(left) else ""
                new_line = right[index] if index < len(right) else ""
                kind = "replace" if old_line and new_line else ("delete" if old_line else "insert")
                rows.append(_row(kind, old_line, new_line))
        changes.append(FieldDiff(field=name, label=str(label), rows=rows))
    return changes


def snapshot_text(snapshot: dict[str, Any]) -> str:
    """Plain text of a snapshot (headline, lead, body) for quick looks."""
    return "\n".join(
        [
            snapshot.get("headline", ""),
            snapshot.get("lead", ""),
            strip_tags(snapshot.get("body", "")),
        ]
    )
