"""The corrections loop in Chromium: a reader reports an error at a passage (with
the script from the paragraph's link, without it by choosing the passage), an
editor publishes it as a correction, the reporter is mailed and the article page
shows it."""

import pytest
from playwright.sync_api import expect

from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import PHONE, admin_login
from tests.browser.data import make_reader_site
from tests.browser.mail import link_in, mails_to, text_of
from tests.browser.people import staff_member

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_error_report_becomes_a_correction_on_the_page(new_page, chromium, site, mailbox):
    from comments.models import ErrorReport

    article = make_reader_site()
    editor = staff_member("cvd", "Chef vom Dienst")

    # With the script: the link after the second paragraph preselects it (phone).
    reader = new_page(viewport=PHONE)
    reader.goto(article.get_absolute_url())
    reader.locator(".error-marker").nth(1).focus()
    reader.locator(".error-marker").nth(1).click()
    expect(reader.get_by_role("heading", name="Fehler melden")).to_be_visible()
    expect(reader.get_by_label("Stelle im Artikel")).to_have_value("1")
    reader.get_by_label("Was ist falsch?").fill(
        "Es sind nicht mehrere hundert, sondern 80 Stellen."
    )
    reader.get_by_label("E-Mail (freiwillig)").fill("leser@example.org")
    save_screenshot(reader, "error-report-375")
    assert not horizontal_overflow(reader), horizontal_overflow(reader)
    reader.get_by_role("button", name="Fehler melden").click()
    expect(reader.get_by_role("status")).to_contain_text("Die Redaktion prüft ihn")

    # Without the script: the link under the article, the passage chosen in the form.
    context = chromium.new_context(java_script_enabled=False, base_url=site, locale="de-DE")
    plain = context.new_page()
    plain.goto(article.get_absolute_url())
    expect(plain.locator(".error-marker")).to_have_count(0)
    plain.locator(".article__error-report").get_by_role("link", name="Fehler melden").click()
    plain.get_by_label("Stelle im Artikel").select_option("0")
    plain.get_by_label("Was ist falsch?").fill("Tippfehler im ersten Satz.")
    plain.get_by_role("button", name="Fehler melden").click()
    expect(plain.get_by_role("status")).to_contain_text("Die Redaktion prüft ihn")
    context.close()
    assert ErrorReport.objects.count() == 2

    # The editor's queue: opens on the open reports; one becomes a correction.
    desk = new_page()
    admin_login(desk, editor)
    desk.goto("/admin/comments/errorreport/")
    expect(desk.get_by_text("80 Stellen")).to_be_visible()
    desk.get_by_role("link", name="Es sind nicht mehrere hundert", exact=False).first.click()
    expect(desk.get_by_role("button", name="Sichern")).to_have_count(0)
    desk.get_by_label("Text der Korrektur").fill(
        "In einer früheren Fassung war von mehreren hundert Arbeitsplätzen die Rede; geplant sind 80."
    )
    save_screenshot(desk, "error-report-editor-1280")
    desk.get_by_role("button", name="Korrektur veröffentlichen").click()
    expect(desk.locator(".messagelist")).to_contain_text("Korrektur veröffentlicht")

    mail = mails_to(mailbox(), "leser@example.org")[-1]
    assert "korrigiert" in text_of(mail)
    # A fresh browser (the reader's own may keep the page for its max-age).
    later = new_page(viewport=PHONE)
    later.goto(link_in(mail, "#korrekturen"))
    expect(later.locator("#korrekturen")).to_be_visible()
    expect(later.locator(".corrections")).to_contain_text("geplant sind 80")
    save_screenshot(later, "error-report-corrected-375")
