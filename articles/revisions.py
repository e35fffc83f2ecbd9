"""Revision snapshots of articles and readable diffs between two of them.

A snapshot is plain JSON (ids plus display names), so old revisions stay
readable after sections, authors or images are renamed or deleted.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from articles.models import Article

# Content fields a revision restores (status and timestamps belong to the workflow).
CONTENT_FIELDS = [
    "kicker",
    "headline",
    "slug",
    "lead",
    "body",
    "dateline",
    "meta_description",
    "social_title",
    "canonical_url",
    "noindex",
    "comment_mode",
    "comments_close_after_days",
]
FK_FIELDS = ["section", "agency", "teaser_image"]

FIELD_LABELS = {
    "kicker": _("Dachzeile"),
    "headline": _("Überschrift"),
    "slug": _("Kürzel (URL)"),
    "lead": _("Vorspann"),
    "body": _("Text"),
    "dateline": _("Ortsmarke"),
    "meta_description": _("Meta-Beschreibung"),
    "social_title": _("Titel für soziale Medien"),
    "canonical_url": _("Kanonische URL (abweichend)"),
    "noindex": _("Nicht indexieren"),
    "comment_mode": _("Kommentare"),
    "comments_close_after_days": _("Kommentare schließen nach (Tagen)"),
    "section": _("Ressort"),
    "agency": _("Agentur"),
    "teaser_image": _("Aufmacherbild"),
    "authors": _("Autoren"),
    "tags": _("Schlagwörter"),
    "related_articles": _("Verwandte Artikel"),
    "related_links": _("Weiterführende Links"),
    "status": _("Status"),
    "go_live_at": _("Veröffentlichen ab"),
    "expires_at": _("Ablauf"),
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
