"""Demo live tickers for ``seed_demo``: one finished (with a closing entry, readable as an
archive) and one running (key events, a pinned note, an entry waiting for approval).
Idempotent: a ticker whose article exists is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import services as article_services
from articles.models import Article, Image, Section
from ticker import services

# slug, section, kicker, headline, lead, hours since the start, entries
# (minutes after the start, text, marks: "key", "pinned", "closing", "review")
TICKERS: list[tuple[str, str, str, str, str, int, list[tuple[int, str, set[str]]]]] = [
    (
        "sturmtief-ueber-norddeutschland-der-liveticker",
        "wissen",
        "Liveticker",
        "Sturmtief über Norddeutschland: der Liveticker",
        "Orkanböen, gesperrte Strecken, vollgelaufene Keller: Wir berichteten die ganze Nacht.",
        30,
        [
            (0, "Der Wetterdienst warnt vor Orkanböen bis 120 km/h an der Küste.", {"key"}),
            (45, "Die Bahn stellt den Fernverkehr zwischen Hamburg und Bremen ein.", {"key"}),
            (90, "Feuerwehr meldet mehr als 300 Einsätze, meist umgestürzte Bäume.", set()),
            (180, "Der Wind lässt nach. Erste Strecken sind wieder frei.", set()),
            (
                240,
                "Damit endet unser Liveticker. Die Aufräumarbeiten dauern an; "
                "wir berichten weiter im Ressort Wissen.",
                {"closing"},
            ),
        ],
    ),
    (
        "wahlabend-in-musterstadt-der-liveticker",
        "politik",
        "Liveticker",
        "Wahlabend in Musterstadt: der Liveticker",
        "Die Wahllokale haben geschlossen. Hochrechnungen, Stimmen und Reaktionen – live.",
        2,
        [
            (
                0,
                "<p><strong>Willkommen</strong> zum Wahlabend! Ergebnisse aus den Wahlbezirken "
                "gibt es ab etwa 19 Uhr.</p>",
                {"pinned"},
            ),
            (
                10,
                "Die Wahllokale sind geschlossen. Die Beteiligung lag bei rund 58 Prozent.",
                {"key"},
            ),
            (
                40,
                "Erste Prognose: Amtsinhaberin Berger vorn, Herausforderer Klein knapp dahinter.",
                {"key"},
            ),
            (75, "Im Rathaus füllt sich der Saal. Die Stimmung ist angespannt.", {"image"}),
            (100, "Zweite Hochrechnung bestätigt den Trend: Berger 47, Klein 44 Prozent.", set()),
            (
                110,
                "Stimmen aus dem Wahlbezirk Nord folgen gleich (wartet auf Freigabe).",
                {"review"},
            ),
        ],
    ),
]


def _paragraph(text: str) -> str:
    return text if text.startswith("<") else f"<p>{text}</p>"


def seed_demo_tickers(stdout: Any = None, verbosity: int = 1) -> None:
    """Create the demo tickers if their articles are missing (editor ``cvd``,
    journalist ``redakteurin`` from seed_demo)."""
    users = get_user_model().objects
    editor = users.filter(username="cvd").first()
    journalist = users.filter(username="redakteurin").first()
    if editor is None or journalist is None:
        return
    now = timezone.now()
    created = 0
    for slug, section, kicker, headline, lead, hours, entries in TICKERS:
        if Article.objects.filter(slug=slug).exists():
            continue
        start = now - timedelta(hours=hours)
        # Pictures of the section's demo articles: the teaser and one entry's picture.
        pictures = list(
            Image.objects.filter(
                pk__in=Article.objects.filter(section__slug=section).values("teaser_image")
            ).order_by("pk")[:2]
        )
        article = article_services.article_create(
            actor=editor,
            kicker=kicker,
            headline=headline,
            slug=slug,
            lead=lead,
            body=f"<p>{lead}</p>",
            section=Section.objects.get(slug=section),
            meta_description=lead,
            teaser_image=pictures[0] if pictures else None,
            # Related now: seed_demo's own pass gives related articles to every published
            # article without any, and would change this one on the next run.
            related=list(
                Article.objects.published().filter(section__slug=section).order_by("slug")[:2]
            ),
        )
        article_services.article_submit(actor=editor, article=article)
        article_services.article_publish(actor=editor, article=article, go_live_at=start)
        ticker = services.ticker_start(user=editor, article=article, started_at=start)
        for minutes, text, marks in entries:
            services.entry_add(
                user=journalist if "review" in marks else editor,
                ticker=ticker,
                body=_paragraph(text),
                time=start + timedelta(minutes=minutes),
                image=pictures[-1] if pictures and "image" in marks else None,
                key_event="key" in marks,
                pinned="pinned" in marks,
                closing="closing" in marks,
            )
        created += 1
    if stdout is not None and verbosity >= 1:
        stdout.write(f"Demo-Liveticker neu angelegt: {created}")
