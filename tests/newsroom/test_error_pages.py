"""Error pages in production mode: the site's layout, German, English under /en/; 500 and
503 render while the database is down (no navigation query)."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client

from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

PAGES = {
    400: ("Ungültige Anfrage", "Bad request"),
    403: ("Zugriff verweigert", "Access denied"),
    404: ("Seite nicht gefunden", "Page not found"),
    500: ("Ein Fehler ist aufgetreten", "An error occurred"),
    503: ("Vorübergehend nicht erreichbar", "Temporarily unavailable"),
}


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.newsroom.error_urls"
    SectionFactory(name="Politik", slug="politik")
    return Client(raise_request_exception=False)


def assert_branded(response, status: int, language: str) -> None:
    german, english = PAGES[status]
    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert (german if language == "de" else english) in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert 'name="robots" content="noindex"' in html
    for leak in ("Traceback", "RuntimeError", "OperationalError", "127.0.0.1", "a bug"):
        assert leak not in html
    assert response["Cache-Control"] == "no-store"


class DatabaseDown:
    """Every query of this thread's connection fails as if PostgreSQL were gone."""

    def __init__(self):
        self.attempts: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        self.attempts.append(sql)
        raise OperationalError("connection to server failed: Connection refused")


@pytest.mark.parametrize("status", [400, 403, 500, 503])
@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_failing_requests_get_the_branded_page(production, status, prefix, language):
    assert_branded(production.get(f"{prefix}/fehler/{status}/"), status, language)


@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_unknown_pages_get_the_branded_404_with_the_navigation(production, prefix, language):
    response = production.get(f"{prefix}/gibt/es/nicht/")
    assert_branded(response, 404, language)
    assert f'href="{prefix}/politik/"' in response.content.decode()


def test_a_foreign_host_gets_the_branded_400(production):
    assert_branded(production.get("/", HTTP_HOST="evil.example"), 400, "de")


@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_a_form_without_csrf_token_gets_the_branded_403(settings, production, prefix, language):
    article = ArticleFactory(published=True)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(f"{prefix}/kommentare/{article.pk}/abonnieren/", {"email": "a@b.de"})
    assert_branded(response, 403, language)
    assert ("Formular ist abgelaufen" if language == "de" else "form has expired") in (
        response.content.decode()
    )


@pytest.mark.parametrize("status", [500, 503])
@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_500_and_503_render_with_the_database_down(production, status, prefix, language):
    down = DatabaseDown()
    with connection.execute_wrapper(down):
        response = production.get(f"{prefix}/fehler/{status}/")
    assert_branded(response, status, language)
    assert down.attempts == []  # not even tried
    if status == 503:
        assert int(response["Retry-After"]) > 0


def test_the_429_page_renders_with_the_database_down(production, settings):
    settings.SEARCH_RATE_LIMIT = 0
    down = DatabaseDown()
    with connection.execute_wrapper(down):
        response = production.get("/en/suche/", {"q": "Wahl"})
    html = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert '<html lang="en">' in html and "Too many requests" in html
    assert 'class="site-header"' in html


@pytest.mark.parametrize(("prefix", "language"), [("", "de"), ("/en", "en")])
def test_a_database_error_outside_the_views_is_the_calm_503(production, prefix, language):
    """SessionMiddleware saves the session after the view: handler500 answers the 503."""
    down = DatabaseDown()
    with connection.execute_wrapper(down):
        response = production.get(f"{prefix}/fehler/sitzung/")
    assert down.attempts  # the session save tried the database
    assert_branded(response, 503, language)
    assert int(response["Retry-After"]) > 0


def test_a_page_is_served_when_the_page_cache_cannot_ask_the_database(production, settings):
    """The store step looks up the next scheduled go-live; with PostgreSQL down the
    page it rendered without the database is served, just not stored."""
    settings.PAGE_CACHE_ENABLED = True
    down = DatabaseDown()
    with connection.execute_wrapper(down):
        response = production.get("/robots.txt")
    assert down.attempts  # the store step tried the database
    assert response.status_code == 200 and b"Sitemap:" in response.content
    assert "X-Page-Cache" not in response


@pytest.mark.parametrize(("accept", "language"), [("de-DE,de", "de"), ("en-US,en", "en")])
def test_an_admin_refusal_speaks_the_editors_language(settings, journalist, accept, language):
    """The admin follows each editor's language (browser, cookie, profile); a page she may
    not open answered a German 403 to an English editor."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(journalist)
    response = client.get("/admin/comments/comment/?queue=pending", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 403
    assert f'<html lang="{language}">' in response.content.decode()
    assert PAGES[403][0 if language == "de" else 1] in response.content.decode()
