"""Journeys of the newsroom desk in the Django admin, in a real browser: a journalist
writes and submits an article, an editor reviews, schedules and publishes it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import services
from articles.models import Article
from newsroom.roles import EDITOR, JOURNALIST
from tests.browser.conftest import admin_login, choose_autocomplete
from tests.browser.people import staff_member
from tests.factories import AgencyFactory, SectionFactory, make_image_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_journalist_writes_in_ckeditor_and_submits_for_review_but_cannot_publish(page, tmp_path):
    SectionFactory(name="Wirtschaft", slug="wirtschaft")
    AgencyFactory(name="Deutsche Presse-Agentur", credit="dpa")
    journalist = staff_member("jana", JOURNALIST)
    photo = tmp_path / "windrad.jpg"
    photo.write_bytes(make_image_bytes(800, 450))

    admin_login(page, journalist)
    page.goto("/admin/articles/article/add/")
    page.fill("#id_kicker", "Energie")
    page.fill("#id_headline", "Windräder für Nordhessen")
    page.fill("#id_lead", "Der Kreistag stimmt für drei neue Anlagen.")
    choose_autocomplete(page, "section", "Wirtschaft")

    # CKEditor: a paragraph with a bold word and a link.
    editor = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    # CKEditor 4 wires its toolbar with inline event handlers and sets up its
    # editing frame with an inline script: the admin's CSP must let them run.
    expect(editor).to_have_attribute("contenteditable", "true", timeout=5_000)
    editor.click()
    page.keyboard.type("Der Kreistag hat ")
    page.keyboard.press("Control+b")
    page.keyboard.type("einstimmig")
    page.keyboard.press("Control+b")
    page.keyboard.type(" zugestimmt. Mehr beim ")
    page.click("a.cke_button__link")
    dialog = page.locator(".cke_dialog:visible")
    dialog.get_by_label("Anzeigetext").fill("Kreistag")
    dialog.get_by_role("textbox", name=re.compile(r"^URL")).fill("https://example.org/kreistag")
    dialog.locator(".cke_dialog_ui_button_ok").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")

    # ... and an image uploaded through the editor's image dialog, with alt text.
    page.click("a.cke_button__image")
    dialog = page.locator(".cke_dialog:visible")
    dialog.locator("a.cke_dialog_tab", has_text="Hochladen").click()
    upload_frame = dialog.frame_locator("iframe.cke_dialog_ui_input_file")
    upload_frame.locator("input[type=file]").set_input_files(photo)
    dialog.locator("a.cke_dialog_ui_fileButton").click()
    url_field = dialog.locator("input.cke_dialog_ui_input_text").first
    expect(url_field).to_have_value(re.compile(r"/media/uploads/.+"))
    dialog.get_by_label("Alternativer Text").fill("Drei Windräder auf einem Hügel")
    dialog.locator(".cke_dialog_ui_button_ok").click()

    page.fill("#id_tags", "Energie, Nordhessen")
    choose_autocomplete(page, "agency", "dpa")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get(headline="Windräder für Nordhessen")
    assert article.status == Article.Status.DRAFT
    assert "<strong>einstimmig</strong>" in article.body
    assert 'href="https://example.org/kreistag"' in article.body
    assert re.search(r'<img[^>]+alt="Drei Windräder auf einem Hügel"', article.body)
    assert re.search(r'<img[^>]+src="/media/uploads/', article.body)
    assert sorted(article.tags.names()) == ["Energie", "Nordhessen"]
    assert article.agency.credit == "dpa"

    # The journalist submits it for review (a button of the form: saves, then submits) ...
    page.click("button.workflow-submit")
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    # ... and has no way to publish it: no button, and the URL is refused.
    expect(page.locator(".workflow-publish")).to_have_count(0)
    response = page.goto(f"/admin/articles/article/{article.pk}/arbeitsschritt/publish/")
    assert response.status == 403
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_slug_is_prefilled_from_the_headline_with_german_transliteration(page):
    journalist = staff_member("jana", JOURNALIST)
    admin_login(page, journalist)
    page.goto("/admin/articles/article/add/")
    page.fill("#id_headline", "Grüne Bürger fordern Straßenbäume")
    page.locator("#id_headline").blur()
    expect(page.locator("#id_slug")).to_have_value(
        "gruene-buerger-fordern-strassenbaeume", timeout=2_000
    )


def submitted_article(journalist, section):
    """A draft saved twice by its journalist (two revisions), then submitted."""
    article = services.article_create(
        actor=journalist,
        headline="Kreistag beschließt Radweg an der B 3",
        kicker="Verkehr",
        lead="Der Radweg soll 2027 fertig sein.",
        body="<p>Nach langer Debatte hat der Kreistag den Radweg beschlossen.</p>",
        section=section,
    )
    article = services.article_update(
        actor=journalist,
        article=article,
        expected_version=article.version,
        changes={"lead": "Der Radweg zwischen Gießen und Butzbach soll 2027 fertig sein."},
    )
    return services.article_submit(actor=journalist, article=article)


def run_workflow_step(page, action: str, **fields: str) -> None:
    """Fill the workflow panel of the article form and press the step's button."""
    for name, value in fields.items():
        page.fill(f"#id_workflow-{name}", value)
    page.click(f"button.workflow-{action}")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_editor_reviews_compares_revisions_schedules_and_publishes(page, new_page):
    section = SectionFactory(name="Region", slug="region")
    journalist = staff_member("jana", JOURNALIST)
    editor = staff_member("eddi", EDITOR)
    article = submitted_article(journalist, section)

    admin_login(page, editor)
    page.goto("/admin/articles/article/")
    page.get_by_role("link", name="Wartet auf Prüfung").click()
    page.get_by_role("link", name=article.headline).click()

    # Two revisions side by side: the old and the new lead.
    page.get_by_role("link", name="Versionen").click()
    page.get_by_label("Von 1").check()
    page.get_by_label("Bis 2").check()
    page.get_by_role("button", name="Vergleichen").click()
    diff = page.locator("table.revision-diff")
    expect(diff.locator("td.old").first).to_contain_text("Der Radweg soll 2027 fertig sein.")
    expect(diff.locator("td.new").first).to_contain_text("zwischen Gießen und Butzbach")
    page.get_by_role("link", name=article.headline).click()

    # Scheduled for the day after tomorrow: not on the site yet.
    later = timezone.localtime() + timedelta(days=2)
    run_workflow_step(
        page, "publish", go_live_at_0=f"{later:%d.%m.%Y}", go_live_at_1=f"{later:%H:%M:%S}"
    )
    expect(page.locator("#content-main")).to_contain_text("Geplant")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.go_live_at > timezone.now() + timedelta(days=1)
    reader = new_page()
    reader.goto("/")
    expect(reader.get_by_role("link", name=article.headline)).to_have_count(0)

    # Published now: on the home page and on its section page.
    run_workflow_step(page, "publish")
    article.refresh_from_db()
    assert article.go_live_at <= timezone.now()
    # (Browsers may keep a reader page for a minute: Cache-Control max-age=60.)
    reader = new_page()
    reader.goto("/")
    expect(reader.get_by_role("link", name=article.headline).first).to_be_visible()
    reader.goto(section.get_absolute_url())
    reader.get_by_role("link", name=article.headline).first.click()
    expect(reader.locator("h1")).to_contain_text(article.headline)


def test_publishing_from_the_change_form_publishes_the_edits_made_in_it(page, new_page):
    section = SectionFactory(name="Region", slug="region")
    journalist = staff_member("jana", JOURNALIST)
    editor = staff_member("eddi", EDITOR)
    article = submitted_article(journalist, section)

    admin_login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.fill("#id_headline", "Kreistag beschließt Radweg an der B 3 einstimmig")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".messagelist .success")).to_contain_text("gespeichert")
    expect(page.locator("#id_headline")).to_have_value(
        "Kreistag beschließt Radweg an der B 3 einstimmig"
    )
    expect(page.locator("#verlauf")).to_contain_text("Veröffentlicht")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.headline == "Kreistag beschließt Radweg an der B 3 einstimmig"
    reader = new_page()
    reader.goto(section.get_absolute_url())
    expect(reader.get_by_role("link", name=article.headline).first).to_be_visible()


def test_a_refused_step_keeps_the_edits_in_the_form_and_saves_nothing(page):
    section = SectionFactory(name="Region", slug="region")
    journalist = staff_member("jana", JOURNALIST)
    editor = staff_member("eddi", EDITOR)
    article = submitted_article(journalist, section)

    admin_login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.fill("#id_lead", "Ein neuer Vorspann")
    page.get_by_role("button", name="Zurückweisen").click()  # no reason given
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("Zurückweisen")
    expect(page.locator("#id_lead")).to_have_value("Ein neuer Vorspann")
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert article.lead == "Der Radweg zwischen Gießen und Butzbach soll 2027 fertig sein."


def test_leaving_a_changed_form_asks_first_but_saving_it_does_not(page):
    section = SectionFactory(name="Region", slug="region")
    journalist = staff_member("jana", JOURNALIST)
    article = services.article_create(
        actor=journalist, headline="Stadtfest am Wochenende", lead="Drei Tage.", section=section
    )
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", on_dialog)
    admin_login(page, journalist)
    change_url = f"/admin/articles/article/{article.pk}/change/"
    page.goto(change_url)
    body = page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")
    expect(body).to_have_attribute("contenteditable", "true", timeout=5_000)

    # Unchanged (CKEditor loaded its text): leaving does not ask.
    page.locator(".breadcrumbs a", has_text="Artikel").last.click()
    page.wait_for_url("**/admin/articles/article/")
    assert dialogs == []

    # A changed headline: leaving asks, and staying keeps the edit.
    page.goto(change_url)
    expect(body).to_have_attribute("contenteditable", "true", timeout=5_000)
    page.click("#id_headline")
    page.keyboard.press("End")
    page.keyboard.type(" in Gießen")
    page.locator(".breadcrumbs a", has_text="Artikel").last.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(change_url)
    expect(page.locator("#id_headline")).to_have_value("Stadtfest am Wochenende in Gießen")

    # The form's own submit never asks.
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert dialogs == ["beforeunload"]
    article.refresh_from_db()
    assert article.headline == "Stadtfest am Wochenende in Gießen"

    # A change in the rich-text body alone asks too.
    body.click()
    page.keyboard.type("Neuer Satz. ")
    page.locator(".breadcrumbs a", has_text="Artikel").last.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload", "beforeunload"]
    assert page.url.endswith(change_url)


def test_the_admin_speaks_german_or_the_editors_chosen_english(chromium, site):
    from core.models import StaffPreference

    section = SectionFactory(name="Region", slug="region")
    journalist = staff_member("jana", JOURNALIST)
    editor = staff_member("eddi", EDITOR)
    article = submitted_article(journalist, section)
    # A browser in New York: the date pickers note the newsroom's time zone.
    context = chromium.new_context(locale="de-DE", timezone_id="America/New_York", base_url=site)
    try:
        page = context.new_page()
        admin_login(page, editor)
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        expect(page.locator(".timezonewarning").first).to_contain_text(
            "Hinweis: Zeiten in der Zeitzone"
        )
        expect(page.locator("#arbeitsschritt")).to_contain_text("Arbeitsschritt")
        page.goto("/admin/articles/article/")
        expect(page.locator(".actions button[type=submit]")).to_have_text("Ausführen")

        StaffPreference.objects.create(user=editor, language="en")
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("#arbeitsschritt")).to_contain_text("Workflow step")
        expect(page.get_by_role("button", name="Publish")).to_be_visible()
        expect(page.locator(".timezonewarning").first).to_contain_text("Note: Enter times")
    finally:
        context.close()
