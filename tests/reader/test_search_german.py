"""German search as readers type it: one table of what a query must and must not find.

Runs on whatever PostgreSQL the tests use: the embedded server by default (no
``unaccent``, no ``pg_trgm``), and a production server (Debian's PostgreSQL with contrib)
when ``DATABASE_URL`` names one; ``test_search_on_a_database_url_server.py`` runs this
module there from ``make test`` when ``NEWSROOM_EXTERNAL_DATABASE_URL`` is set.
"""

from __future__ import annotations

import re

import pytest

from articles.services import search_words_add, search_words_rebuild

pytestmark = pytest.mark.django_db

# slug: (headline, body) — what editors wrote.
CORPUS = {
    "buergeraemter": (
        "Längere Öffnungszeiten für Bürgerämter",
        "Die Bürgerämter öffnen zweimal pro Woche bis 20 Uhr.",
    ),
    "digraphen": (
        "Neue Regeln fuer Buergeraemter in Kiel",
        "Ein Leserbrief, geschrieben ohne Umlaute, über die Oeffnungszeiten.",
    ),
    "strompreis": ("Strompreis steigt im Winter", "Versorger heben den Strompreis an."),
    "einkaufspreise": ("Einkaufspreise sinken", "Händler zahlen weniger im Einkauf."),
    "fordern": ("Länder fordern mehr Geld", "Die Länder fordern mehr Geld für Busse."),
    "forderte": ("Gewerkschaft forderte Zulage", "Die Gewerkschaft forderte am Montag mehr."),
    "haus": ("Ein altes Haus am Markt", "Das Haus steht seit 1820."),
    "strasse": ("Sperrung der Hauptstraße", "Die Straße bleibt bis Freitag gesperrt."),
    "erdogan": ("Erdoğan reist nach Berlin", "Der Besuch dauert zwei Tage."),
    "demokratie": ("Demokratie im Verein", "Ein neuer Apparat für die Abstimmung."),
    "zeitung": ("Die Zeitung von morgen", "Eine Redaktion plant um."),
    "maus": ("Die Maus im Museum", "Ein Stofftier für Kinder."),
    "quartier": ("Ein neues Quartier am Hafen", "Die Legende vom alten Speicher."),
    "buergermeister": ("Bürgermeister eröffnet Brücke", "Der Bürgermeister sprach kurz."),
}

# query, slugs that must be found, slugs that must not be found.
CASES = [
    # Umlauts typed as ae/oe/ue and the reverse, ß as ss, accents left out.
    ("Buergeraemter", {"buergeraemter", "digraphen"}, {"haus"}),
    ("Bürgerämter", {"buergeraemter", "digraphen"}, set()),
    ("oeffnungszeiten", {"buergeraemter", "digraphen"}, set()),
    ("Öffnungszeiten", {"buergeraemter", "digraphen"}, set()),
    ("Strasse", {"strasse"}, set()),
    ("Erdogan", {"erdogan"}, set()),
    # Parts of compounds find the compound, at its start and at its end.
    ("Strom", {"strompreis"}, set()),
    ("Preis", {"strompreis", "einkaufspreise"}, set()),
    ("Preise", {"strompreis", "einkaufspreise"}, set()),
    ("Strom Preis", {"strompreis"}, {"einkaufspreise"}),
    # Verb forms and their nouns find each other.
    ("forderte", {"fordern", "forderte"}, set()),
    ("Forderungen", {"fordern", "forderte"}, set()),
    ("gefordert", {"fordern", "forderte"}, set()),
    ("fordern", {"fordern", "forderte"}, set()),
    # Stemming still works, short words are not parts of everything.
    ("Häuser", {"haus"}, {"maus"}),
    ("Rat", set(), {"demokratie"}),
    ("Zeiten", {"buergeraemter"}, {"zeitung"}),
    ("Tier", set(), {"quartier"}),
    ("Ende", set(), {"quartier"}),
    ("Haus", {"haus"}, {"maus", "demokratie"}),
    # The reader's syntax: exclusion, alternatives, phrases.
    ("Preis -Strom", {"einkaufspreise"}, {"strompreis"}),
    ("Maus or Zeitung", {"maus", "zeitung"}, {"haus"}),
    ('"altes Haus"', {"haus"}, set()),
]

# query, the suggestion shown ("Meinten Sie …?"), or None.
SUGGESTIONS = [
    ("Bürgermeisetr", "Bürgermeister"),
    ("buergermiester", "bürgermeister"),
    ("Strompries", "Strompreis"),
    ("Gewerkschft Zulage", "Gewerkschaft Zulage"),
    ("Bürgermeister", None),
    ("Buergermeister", None),
    ("Strom", None),
]


@pytest.fixture
def corpus(published):
    articles = {
        slug: published(slug=slug, headline=headline, lead=headline, body=f"<p>{body}</p>")
        for slug, (headline, body) in CORPUS.items()
    }
    search_words_rebuild()
    return articles


def found_slugs(client, query: str) -> set[str]:
    response = client.get("/suche/", {"q": query})
    assert response.status_code == 200
    return set(re.findall(r'href="/wirtschaft/([^/]+)/"', response.text))


@pytest.mark.parametrize(("query", "must", "must_not"), CASES, ids=[c[0] for c in CASES])
def test_search_finds_what_readers_mean(client, corpus, query, must, must_not):
    found = found_slugs(client, query)
    assert must <= found, f"{query!r} missed {must - found}"
    assert not (must_not & found), f"{query!r} wrongly found {must_not & found}"


@pytest.mark.parametrize(("query", "suggestion"), SUGGESTIONS, ids=[s[0] for s in SUGGESTIONS])
def test_a_typo_suggests_the_word_the_site_uses(client, corpus, query, suggestion):
    text = client.get("/suche/", {"q": query}).text
    if suggestion is None:
        assert "Meinten Sie" not in text
    else:
        assert f">{suggestion}</a>?" in text, text[text.find("<main") :][:1500]


# Typos as readers of each language type them; the English reader sees the English
# version of the translated story (its German words are not on their pages).
SUGGESTION_QUERIES = [q for q, _suggestion in SUGGESTIONS] + ["Oefnungszeiten", "Burgeramter"]
SUGGESTS_IN_BOTH = {"Bürgermeisetr", "Strompries", "Oefnungszeiten"}
_SUGGESTION_LINK = re.compile(r'<a href="([^"]*/suche/\?q=[^"]+)">([^<]+)</a>\?')


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("query", SUGGESTION_QUERIES)
def test_a_suggestion_always_finds_something_for_the_reader_who_follows_it(
    client, corpus, published, prefix, query
):
    published(
        slug="buergeraemter-en",
        headline="Town halls open longer",
        lead="Town halls open longer",
        body="<p>Citizens' offices open twice a week until 8 p.m.</p>",
        language="en",
        translation_of=corpus["buergeraemter"],
    )
    search_words_rebuild()
    text = client.get(f"{prefix}/suche/", {"q": query}).text
    link = _SUGGESTION_LINK.search(text)
    if link is None:
        assert query not in SUGGESTS_IN_BOTH  # these must keep their suggestion
        return  # no suggestion: nothing to follow
    followed = client.get(link.group(1).replace("&amp;", "&"))
    assert re.search(r'class="search-result"', followed.text), (
        f"{prefix or '/'}: {query!r} suggests {link.group(2)!r}, which finds nothing"
    )


def test_an_english_reader_is_not_offered_a_word_only_the_german_version_uses(
    client, corpus, published
):
    english = published(
        slug="buergeraemter-en",
        headline="Town halls open longer",
        body="<p>Citizens' offices open twice a week.</p>",
        language="en",
        translation_of=corpus["buergeraemter"],
    )
    corpus["digraphen"].delete()  # the other article with the word
    search_words_rebuild()
    assert english.pk
    assert ">Bürgerämter</a>?" in client.get("/suche/", {"q": "Burgeramter"}).text
    assert "Bürgerämter</a>?" not in client.get("/en/suche/", {"q": "Burgeramter"}).text


def test_the_suggestion_links_to_its_search(client, corpus):
    text = client.get("/suche/", {"q": "Strompries"}).text
    assert 'href="/suche/?q=Strompreis"' in text
    assert "/wirtschaft/strompreis/" in client.get("/suche/", {"q": "Strompreis"}).text


def test_compound_matches_are_highlighted_in_the_results(client, corpus):
    text = client.get("/suche/", {"q": "Preis"}).text
    assert "<mark>Strompreis</mark>" in text
    assert "<mark>Einkaufspreise</mark>" in text


def test_spelling_variants_are_highlighted_as_written(client, corpus):
    text = client.get("/suche/", {"q": "Buergeraemter"}).text
    assert "<mark>Bürgerämter</mark>" in text


def test_words_as_typed_rank_above_their_widened_forms(client, corpus):
    text = client.get("/suche/", {"q": "fordern"}).text
    assert text.index("/wirtschaft/fordern/") < text.index("/wirtschaft/forderte/")


def test_newly_published_words_are_searchable_without_a_rebuild(
    client, corpus, editor, section, django_capture_on_commit_callbacks
):
    from articles import services

    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_create(
            actor=editor,
            headline="Fahrradstraßen für Köln",
            slug="fahrradstrassen",
            lead="Die Stadt plant Fahrradstraßen.",
            body="<p>Mehr Platz.</p>",
            section=section,
        )
        services.article_submit(actor=editor, article=article)
        services.article_publish(actor=editor, article=article)
    assert "fahrradstrassen" in found_slugs(client, "Koeln")
    assert "fahrradstrassen" in found_slugs(client, "Strassen")


def test_search_without_a_lexicon_still_finds_words_as_written(client, published):
    published(slug="ohne", headline="Strompreis steigt")
    assert "ohne" in found_slugs(client, "Strompreis")
    assert "ohne" in found_slugs(client, "Strompreise")


def test_search_costs_the_same_few_queries_for_one_word_or_many(client, corpus):
    """Candidates and page once the query was asked (its widened form is cached under the
    lexicon's version); the first time, the lexicon is read once for all words."""
    from tests.reader.test_query_budgets import _queries

    one = _queries(client, "/suche/?q=Preis")
    many = _queries(client, "/suche/?q=Strom+Preise+Winter+Versorger+heben")
    # Asked before: the widened query and the ranked candidates (a fragment, until an
    # article changes) come from the cache; the page query remains.
    assert one == many == 1
    # No hits: no page query; the suggestion is cached too, and checked to find something
    # for this reader (one query).
    assert _queries(client, "/suche/?q=Strompries+Gewerkschft") == 1
    # Asked first: the lexicon and the query's tsquery text, read once for all words.
    cold_one = _queries(client, "/suche/?q=Preis", warm=False)
    cold_many = _queries(client, "/suche/?q=Strom+Preise+Winter+Versorger+heben", warm=False)
    assert cold_one == cold_many


def test_a_word_new_to_the_lexicon_widens_a_search_asked_before(
    client, corpus, published, django_capture_on_commit_callbacks
):
    """The cached widened query is forgotten when publishing adds words to the lexicon."""
    assert "waermepreis" not in found_slugs(client, "Preis")  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        article = published(
            slug="waermepreis", headline="Wärmepreis steigt", body="<p>Der Wärmepreis steigt.</p>"
        )
        search_words_add(article_id=article.pk)
    assert "waermepreis" in found_slugs(client, "Preis")
