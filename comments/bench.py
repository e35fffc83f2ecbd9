"""Bulk comments for ``manage.py seed_bench`` (load-test data, not via services)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, text_fingerprint

PHRASES = (
    "Sehr guter Beitrag, danke für die Recherche.",
    "Das sehe ich anders, die Zahlen erzählen eine andere Geschichte.",
    "Wann gibt es dazu ein Update?",
    "Bei uns im Ort ist das genauso, die Baustelle dauert ewig.",
    "Interessant, dass darüber kaum jemand spricht.",
    "Mich würde die Position der Opposition dazu interessieren.",
    "Endlich berichtet jemand sachlich darüber.",
    "Ich habe eine Frage zur Finanzierung: Wer zahlt am Ende?",
)


def bulk_create_comments(
    *, rng: random.Random, total: int, hot: int, batch: int = 5000, stdout=None
) -> None:
    """Create ``total`` approved comments: ``hot`` of them on the newest published
    article (threads with replies), the rest spread over all published articles."""
    article_ids = list(Article.objects.published().values_list("id", flat=True))
    if not article_ids or total <= 0:
        return
    hot_id = (
        Article.objects.published().order_by("-go_live_at").values_list("id", flat=True).first()
    )
    hot = min(hot, total)
    now = timezone.now()
    made = 0

    def build(article_id: int, n: int, parent: Comment | None) -> Comment:
        text = f"{rng.choice(PHRASES)} ({n})"
        return Comment(
            article_id=article_id,
            parent=parent,
            root=parent.root or parent if parent else None,
            depth=(parent.depth + 1) if parent else 0,
            name=f"Leser {n % 997}",
            email=f"leser{n % 5000}@example.org",
            text=text,
            text_hash=text_fingerprint(text),
            status=Comment.Status.APPROVED,
            created_at=now - timedelta(seconds=total - n),
            approved_at=now - timedelta(seconds=total - n),
            notified_at=now - timedelta(seconds=total - n),  # no subscribers to fan out to
        )

    # The hot article: a third of its comments are replies to earlier ones.
    tops: list[Comment] = []
    top_count = hot - hot // 3
    while made < top_count:
        size = min(batch, top_count - made)
        rows = [build(hot_id, made + i, None) for i in range(size)]
        with transaction.atomic():
            created = Comment.objects.bulk_create(rows)
        tops.extend(created)
        made += size
    replies = [build(hot_id, made + i, rng.choice(tops)) for i in range(hot // 3)]
    with transaction.atomic():
        Comment.objects.bulk_create(replies, batch_size=batch)
    made += len(replies)

    while made < total:
        size = min(batch, total - made)
        rows = [build(rng.choice(article_ids), made + i, None) for i in range(size)]
        with transaction.atomic():
            Comment.objects.bulk_create(rows)
        made += size
        if stdout is not None:
            stdout.write(f"  {made}/{total} Kommentare")
