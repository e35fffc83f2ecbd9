"""Content for the browser tests, made through the project's factories."""

from __future__ import annotations

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
