"""The admin names the publication, not Django."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_login_names_the_publication_in_its_title_and_header(client, settings):
    settings.SITE_NAME = "Example Nachrichten"
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="de")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Anmelden | Example Nachrichten</title>" in html
    assert ">Example Nachrichten</a>" in html  # the header's link
    assert "Django" not in html.split("</title>")[0]
