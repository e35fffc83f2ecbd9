"""Revision snapshots of articles and readable diffs between two of them.

A snapshot is plain JSON (ids plus display names), so old revisions stay
readable after sections, authors or images are renamed or deleted.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.html import strip_tags

from articles.models import Article, RelatedArticle, RelatedLink

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


def _as_lines(field: str, value: Any) -> list[str]:
    """Comparable text lines for one snapshot value."""
    if value is None or value == "":
        return []
    if field == "body":
        # One line per block element, tags kept: editors see markup changes too.
        return [
            line.strip() for line in _BLOCK_END.sub(r"\1\n", value).splitlines() if line.strip()
        ]
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


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff: ``kind`` is equal, replace, delete or insert."""

    kind: str
    old: str
    new: str


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    rows: list[DiffRow]


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> list[FieldDiff]:
    """Side-by-side differences of two snapshots, one entry per changed field.

    Values are plain strings; templates escape them (never marked safe).
    """
    changes: list[FieldDiff] = []
    for field, label in FIELD_LABELS.items():
        old_lines, new_lines = _as_lines(field, old.get(field)), _as_lines(field, new.get(field))
        if old_lines == new_lines:
            continue
        rows: list[DiffRow] = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                rows.extend(DiffRow("equal", line, line) for line in old_lines[i1:i2])
                continue
            left, right = old_lines[i1:i2], new_lines[j1:j2]
            for index in range(max(len(left), len(right))):
                rows.append(
                    DiffRow(
                        tag,
                        left[index] if index < len(left) else "",
                        right[index] if index < len(right) else "",
                    )
                )
        changes.append(FieldDiff(field=field, label=str(label), rows=rows))
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
