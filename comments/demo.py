"""Demo comments for ``manage.py seed_demo``: threads, a staff answer, a pinned
comment, a few held comments for the moderation queue and an inline-feedback point.

Idempotent: an article that already has demo comments is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from articles.models import Article
from comments.models import Comment, FeedbackPoint, text_fingerprint
from comments.selectors import article_paragraphs

DEMO_DOMAIN = "leser.example"

THREADS = [
    {
        "name": "Katrin Vogel",
        "text": "Interessant wäre zu wissen, was das für die bestehenden Verträge bedeutet. "
        "Wird darüber noch berichtet?",
        "pinned": True,
        "replies": [
            {
                "name": "Redaktion",
                "staff": True,
                "text": "Danke für den Hinweis – wir haben nachgefragt und ergänzen den Text, "
                "sobald eine Antwort vorliegt.",
                "replies": [
                    {"name": "Katrin Vogel", "text": "Prima, dann schaue ich morgen noch mal rein."}
                ],
            },
        ],
    },
    {
        "name": "Jonas Brandt",
        "text": "Ich finde die Entscheidung nachvollziehbar. Die Lage ist seit Monaten "
        "unübersichtlich, da zieht man lieber früh die Reißleine.",
        "replies": [
            {
                "name": "Elif Şahin",
                "text": "Früh? Die Probleme waren doch schon im letzten Jahr absehbar. "
                "Mehr dazu hier: https://www.example.org/hintergrund",
            }
        ],
    },
    {
        "name": "Marta Nowak",
        "text": "Kurze Frage zum dritten Absatz: Sind die Zahlen dort pro Quartal oder "
        "aufs ganze Jahr gerechnet?",
        "replies": [],
    },
]

HELD = [
    (
        "Neuling Peter",
        "Mein erster Kommentar hier – bin gespannt, ob der freigeschaltet wird.",
        "first_comment",
    ),
    (
        "Schnäppchenjäger",
        "Günstige Angebote gibt es unter http://spam.example/a http://spam.example/b "
        "http://spam.example/c",
        "too_many_links",
    ),
    (
        "Laut und deutlich",
        "Das ist doch alles Unsinn, die Redaktion hat keine Ahnung!",
        "suspect_word",
    ),
]


# The demo discussion's timeline in minutes after the article went online (the last
# comment, on the feedback point, at 180).
TIMELINE_MINUTES = 190


def _clock(article: Article, now: datetime) -> Callable[[float], datetime]:
    """Minutes of the demo timeline -> a time between the article's first publication and
    now: a fresh article gets its discussion squeezed in, never dated before it went online
    or in the future."""
    online = article.first_published_at or article.go_live_at or now
    room = max((now - online).total_seconds() / 60 - 1, 0)
    factor = min(1.0, room / TIMELINE_MINUTES)
    return lambda minute: online + timedelta(minutes=minute * factor)


def _email(name: str) -> str:
    return f"{name.lower().replace(' ', '.').replace('ş', 's')}@{DEMO_DOMAIN}"


def _create(
    article,
    data,
    *,
    parent=None,
    at: Callable[[float], datetime],
    minute: float,
    status=Comment.Status.APPROVED,
    reasons=None,
    feedback_point=None,
):
    when = at(minute)
    comment = Comment.objects.create(
        article=article,
        feedback_point=feedback_point,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        name=data["name"],
        email=_email(data["name"]),
        text=data["text"],
        text_hash=text_fingerprint(data["text"]),
        status=status,
        is_staff_comment=data.get("staff", False),
        is_pinned=data.get("pinned", False),
        moderation_reasons=reasons or [],
        created_at=when,
        approved_at=when if status == Comment.Status.APPROVED else None,
        # Demo history: nobody was subscribed then, so there is nothing to fan out.
        notified_at=when if status == Comment.Status.APPROVED else None,
    )
    for offset, reply in enumerate(data.get("replies", []), start=1):
        _create(article, reply, parent=comment, at=at, minute=minute + 17 * offset)
    return comment


@transaction.atomic
def seed_demo_comments(*, stdout=None, verbosity: int = 1) -> int:
    """Create demo comments on up to three published articles. Returns how many articles got some."""
    seeded = 0
    articles = list(Article.objects.published().order_by("-go_live_at")[:3])
    for index, article in enumerate(articles):
        if Comment.objects.filter(article=article, email__endswith=f"@{DEMO_DOMAIN}").exists():
            continue
        at = _clock(article, timezone.now())
        start = 8 + 5 * index
        for position, thread in enumerate(THREADS):
            _create(article, thread, at=at, minute=start + 31 * position)
        if index == 0:
            for position, (name, text, code) in enumerate(HELD):
                _create(
                    article,
                    {"name": name, "text": text},
                    at=at,
                    minute=start + 120 + position,
                    status=Comment.Status.PENDING,
                    reasons=[{"code": code, "outcome": "hold", "detail": ""}],
                )
            paragraphs = article_paragraphs(article.body)
            if paragraphs:
                point, _created = FeedbackPoint.objects.get_or_create(
                    article=article,
                    paragraph_index=0,
                    defaults={
                        "passage": paragraphs[0],
                        "question": "Haben Sie das selbst schon erlebt? Erzählen Sie uns davon.",
                    },
                )
                _create(
                    article,
                    {
                        "name": "Ute Kramer",
                        "text": "Ja, bei uns im Ort war es ganz ähnlich – nur ohne Vorwarnung.",
                    },
                    at=at,
                    minute=start + 170,
                    feedback_point=point,
                )
        seeded += 1
        if stdout is not None and verbosity >= 2:
            stdout.write(f"Demo-Kommentare: {article.headline}")
    if stdout is not None and verbosity >= 1:
        stdout.write(f"Demo-Kommentare für {seeded} Artikel angelegt.")
    return seeded
