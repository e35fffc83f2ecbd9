"""Bulk data for benchmarks: many published articles (and comments) quickly.

Text is generated from a small German vocabulary so that full-text search has
realistic work to do. Rows are written with ``bulk_create`` in large batches
inside one transaction per batch; nothing goes through the services (no
revisions, no audit entries): this is load-test data, not editorial content.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Section
from articles.services import search_words_rebuild
from core.progress import Progress

WORDS = (
    "Regierung Haushalt Bundestag Koalition Wahl Stadt Gemeinde Land Bürger Polizei Gericht "
    "Urteil Klage Unternehmen Markt Preise Inflation Zinsen Bank Börse Aktie Konzern Mitarbeiter "
    "Gewerkschaft Streik Tarif Energie Strom Gas Wärme Heizung Solar Windkraft Netz Leitung "
    "Bahn Zug Verkehr Straße Autobahn Flughafen Hafen Schiff Fahrrad Schule Lehrer Kinder "
    "Universität Forschung Studie Klima Wetter Regen Sturm Hitze Wald Wasser Fluss See Meer "
    "Krankenhaus Ärzte Pflege Gesundheit Impfung Medikament Software Daten Netzwerk Rechenzentrum "
    "Sicherheit Angriff Schutz Gesetz Verordnung Minister Ministerin Kanzler Präsident Rat "
    "Verband Verein Fußball Spiel Mannschaft Trainer Saison Tor Sieg Niederlage Konzert Theater "
    "Museum Ausstellung Buch Film Festival Kirche Haus Häuser Wohnung Miete Bau Baustelle Brücke "
    "Rathaus Bürgermeister Landrat Haushaltsplan Steuer Abgabe Förderung Investition Projekt "
    "plant baut fordert kritisiert beschließt verschiebt erhöht senkt startet stoppt prüft meldet "
    "neue alte große kleine schnelle lange kurze wichtige deutliche überraschende öffentliche"
).split()


# Real text is Zipf-distributed: few words are very common, most are rare.
# Compound words (Haushalt+debatte, ...) give a vocabulary of about 2,000 words.
SUFFIXES = (
    "debatte plan streit gipfel bericht reform politik krise netz ausbau gesetz projekt "
    "förderung verband zentrum programm"
).split()
VOCABULARY = WORDS + [f"{w}{s}" for w in WORDS if w[0].isupper() for s in SUFFIXES]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(VOCABULARY, weights=WEIGHTS, k=words))
    return text[0].upper() + text[1:] + "."


class Command(BaseCommand):
    help = "Create published articles (and comments) in bulk for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument(
            "--comments", type=int, default=0, help="comments spread over the articles"
        )
        parser.add_argument(
            "--hot-comments",
            type=int,
            default=10_000,
            help="of --comments, how many go to the newest article (the 'hot' one)",
        )
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--dry-run", action="store_true", help="only say what would be created")

    def handle(self, *args, **options) -> None:
        rng = random.Random(options["seed"])
        articles, batch = options["articles"], options["batch"]
        if options["dry_run"]:
            self.stdout.write(
                f"Would create {articles} articles and {options['comments']} comments."
            )
            return
        started = time.monotonic()
        sections = [
            Section.objects.get_or_create(
                slug=f"bench-{i}", defaults={"name": f"Ressort {i}", "order": 50 + i}
            )[0]
            for i in range(8)
        ]
        authors = [
            Author.objects.get_or_create(slug=f"bench-autor-{i}", defaults={"name": f"Autor {i}"})[
                0
            ]
            for i in range(40)
        ]
        start_id = (Article.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        now = timezone.now()
        created = 0
        progress = Progress(
            total=articles,
            write=self.stdout.write if options["verbosity"] >= 1 else lambda _line: None,
            label="Artikel",
        )
        while created < articles:
            size = min(batch, articles - created)
            rows = []
            for n in range(size):
                number = start_id + created + n
                published = now - timedelta(minutes=(articles - created - n) * 7)
                headline = sentence(rng, rng.randint(5, 9))[:-1]
                rows.append(
                    Article(
                        kicker=rng.choice(WORDS).capitalize(),
                        headline=headline,
                        slug=f"bench-{number}",
                        lead=sentence(rng, rng.randint(15, 25)),
                        body="".join(
                            f"<p>{sentence(rng, rng.randint(25, 45))}</p>" for _ in range(4)
                        ),
                        section=rng.choice(sections),
                        status=Article.Status.PUBLISHED,
                        go_live_at=published,
                        first_published_at=published,
                    )
                )
            with transaction.atomic():
                made = Article.objects.bulk_create(rows)
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(article=article, author=rng.choice(authors), position=0)
                    for article in made
                )
            created += size
            progress.advance(size)
        if options["comments"]:
            self._seed_comments(rng, options)
        # The search's lexicon (spellings, compounds, suggestions) from the new text.
        search_words_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Fertig in {time.monotonic() - started:.1f}s."))

    def _seed_comments(self, rng: random.Random, options: dict) -> None:
        from comments.bench import bulk_create_comments

        bulk_create_comments(
            rng=rng,
            total=options["comments"],
            hot=options["hot_comments"],
            batch=options["batch"],
            stdout=self.stdout if options["verbosity"] >= 1 else None,
        )
