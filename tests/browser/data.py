"""Content for the browser tests, made through the project's factories."""

from __future__ import annotations

import time

from articles.models import Article
from tests.factories import (
    AgencyFactory,
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
)

LONG_BODY = (
    "<p>Die Landesregierung hat am Dienstag ein neues Rechenzentrum in Hessen vorgestellt. "
    "Es soll bis 2028 mehrere hundert Arbeitsplätze schaffen und mit Abwärme Häuser in der "
    "Nachbarschaft heizen.</p>"
    "<h2>Was geplant ist</h2>"
    "<p>Nach Angaben des Wirtschaftsministeriums entstehen auf dem früheren Kasernengelände "
    "drei Gebäude mit zusammen 40 Megawatt Anschlussleistung. Die Pressemitteilung steht "
    "unter https://www.beispiel-landesregierung-hessen.example/pressemitteilungen/2026/"
    "rechenzentrum-kasernengelaende-abwaerme-nachbarschaftswaermenetz; auch das "
    "Rechenzentrumsabwärmenutzungsförderprogramm wird erwähnt.</p>"
    "<p>Kritiker bemängeln den Wasserverbrauch. Der Betreiber verspricht eine Kühlung, die "
    "ohne Trinkwasser auskommt.</p>"
)


def make_reader_site() -> Article:
    """Two sections with a few published articles; returns the lead story, which has
    a teaser image, two authors, tags and an agency credit."""
    wirtschaft = SectionFactory(name="Wirtschaft", slug="wirtschaft", order=1)
    politik = SectionFactory(name="Politik", slug="politik", order=2)
    authors = [AuthorFactory(name="Anna Beispiel"), AuthorFactory(name="Jonas Muster")]
    lead = ArticleFactory(
        published=True,
        kicker="Rechenzentrum",
        headline="Neues Rechenzentrum in Hessen soll Häuser mit Abwärme heizen",
        slug="neues-rechenzentrum-in-hessen",
        lead="Das Land erwartet mehrere hundert Arbeitsplätze; Kritiker warnen vor dem Wasserverbrauch.",
        body=LONG_BODY,
        section=wirtschaft,
        agency=AgencyFactory(),
        teaser_image=ImageFactory(),
        authors=authors,
        tags=["Hessen", "Energie"],
    )
    for number in range(3):
        ArticleFactory(published=True, section=wirtschaft, headline=f"Wirtschaftsmeldung {number}")
        ArticleFactory(published=True, section=politik, headline=f"Politikmeldung {number}")
    return lead


def add_discussion(article: Article) -> None:
    """A small public discussion under ``article``: a guest comment approved by the
    moderation, a reply to it and a comment by the newsroom (with "Redaktion" badge)."""
    from comments import tokens
    from comments.services import comment_approve, comment_post
    from newsroom import roles
    from tests.factories import staff_member

    moderator = staff_member("moderation", roles.MODERATOR)
    editor = staff_member("redaktion", roles.EDITOR, first_name="Lena", last_name="Rot")
    long_ago = tokens.form_timestamp(time.time() - 120)
    first = comment_post(
        article=article,
        name="Hannelore K.",
        email="hannelore@example.org",
        text="Endlich wird die Abwärme genutzt. In Frankfurt klappt das seit Jahren; "
        "warum hat es hier so lange gedauert?",
        form_token=long_ago,
    )
    first = comment_approve(comment=first, actor=moderator)
    reply = comment_post(
        article=article,
        name="Dr. Maximilian Donaudampfschifffahrtskapitän",
        email="max@example.org",
        text="Weil die Leitungen erst gebaut werden müssen: https://www.example.org/ein/sehr/"
        "langer/pfad/zur/stellungnahme-der-stadtwerke-zum-waermenetz",
        parent=first,
        form_token=long_ago,
    )
    comment_approve(comment=reply, actor=moderator)
    comment_post(
        article=article,
        user=editor,
        text="Aus der Redaktion: Wir haben beim Betreiber nach dem Zeitplan gefragt.",
    )
