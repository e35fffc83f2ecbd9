"""Static pages (Impressum, Datenschutz, ...): editable in the admin, linked in the footer."""

import pytest

from pages.models import Page

pytestmark = pytest.mark.django_db


def test_impressum_and_datenschutz_exist_and_are_linked_in_the_footer(client):
    text = client.get("/").text
    footer = text[text.index('<footer class="site-footer">') :]
    assert '<a href="/seite/impressum/">Impressum</a>' in footer
    assert '<a href="/seite/datenschutz/">Datenschutz</a>' in footer
    response = client.get("/seite/impressum/")
    assert response.status_code == 200
    assert "<h1" in response.text and "Impressum" in response.text
    assert "public" in response["Cache-Control"]


def test_page_body_is_sanitised_when_shown(client):
    Page.objects.create(
        title="Kontakt", slug="kontakt", body='<p onclick="x()">Hallo<script>alert(1)</script></p>'
    )
    text = client.get("/seite/kontakt/").text
    assert "<p>Hallo</p>" in text
    assert "alert(1)" not in text and "onclick" not in text


def test_admin_stores_the_cleaned_body(admin_client):
    response = admin_client.post(
        "/admin/pages/page/add/",
        {
            "title": "Barrierefreiheit",
            "slug": "barrierefreiheit",
            "body": '<p>Text</p><iframe src="https://evil.example"></iframe>',
            "show_in_footer": "on",
            "footer_order": "30",
        },
    )
    assert response.status_code == 302
    page = Page.objects.get(slug="barrierefreiheit")
    assert page.body == "<p>Text</p>"


def test_pages_not_in_the_footer_are_not_linked(client):
    Page.objects.create(title="Versteckt", slug="versteckt", show_in_footer=False)
    assert "/seite/versteckt/" not in client.get("/").text
    assert client.get("/seite/versteckt/").status_code == 200


def test_unknown_page_is_404(client):
    assert client.get("/seite/gibt-es-nicht/").status_code == 404


def test_a_static_page_on_the_english_site_marks_its_german_text(client):
    page = Page.objects.create(
        title="Kontaktformular", slug="kontakt", body="<p>Schreiben Sie uns.</p>"
    )
    german = client.get(page.get_absolute_url()).text
    assert 'lang="de">Kontaktformular' not in german
    english = client.get(f"/en{page.get_absolute_url()}").text
    assert '<html lang="en">' in english
    assert '<h1 id="seitentitel" lang="de">Kontaktformular</h1>' in english
    assert '<div class="article__body" lang="de"><p>Schreiben Sie uns.</p></div>' in english
    assert 'lang="de">Kontaktformular</a>' in english  # the footer link
