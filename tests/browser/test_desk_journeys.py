"""The editorial desk in a real browser: the change form's side panel, the change list
at 1280 px, the start page, in German and English, on a phone and a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from articles import services
from newsroom.roles import EDITOR, JOURNALIST
from tests.browser.conftest import DESKTOP, PHONE, admin_login, screenshot_dir
from tests.browser.people import staff_member
from tests.factories import AuthorFactory, SectionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG = "Landesregierung beschließt nach monatelangem Streit längere Öffnungszeiten für Bürgerämter"


def _desk():
    section = SectionFactory(name="Landespolitik", slug="landespolitik")
    journalist = staff_member("jana", JOURNALIST, first_name="Jana", last_name="Redlich")
    AuthorFactory(name="Jana Redlich", slug="jana-redlich", user=journalist)
    editor = staff_member("cvd", EDITOR, first_name="Carla", last_name="Vogt")
    articles = []
    for number in range(3):
        article = services.article_create(
            actor=journalist,
            headline=f"{LONG} ({number})",
            lead="Vorspann",
            body="<p>Absatz.</p>" * 40,  # a long text: the panel must stay in view
            section=section,
        )
        articles.append(article)
    services.article_submit(actor=journalist, article=articles[0])
    services.article_send_back(actor=editor, article=articles[0], reason="Zahlen prüfen")
    return journalist, editor, articles


def _context_page(chromium, site, *, viewport, locale):
    context = chromium.new_context(viewport=viewport, locale=locale, base_url=site)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_the_change_list_and_the_side_panel_fit_the_desk_at_1280_px(chromium, site, locale):
    journalist, editor, articles = _desk()
    context, page = _context_page(chromium, site, viewport=DESKTOP, locale=locale)
    try:
        admin_login(page, editor)
        page.goto("/admin/articles/article/")
        # No column runs off the right edge: the table fits its box, the page the window.
        overflow = page.evaluate(
            "(() => { const r = document.querySelector('#changelist-form .results');"
            " return r.scrollWidth - r.clientWidth; })()"
        )
        assert overflow <= 0
        assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
        page.screenshot(path=screenshot_dir() / f"desk-changelist-{locale}-1280.png")

        page.goto(f"/admin/articles/article/{articles[1].pk}/change/")
        headline = page.locator("#id_headline").bounding_box()
        assert headline["width"] >= 500  # real headlines fit
        # Further down the form, the status and the workflow steps are still in view.
        page.evaluate("window.scrollTo(0, 1200)")
        page.wait_for_timeout(300)
        assert page.evaluate("window.scrollY") >= 1000
        box = page.locator(".desk-side").bounding_box()
        assert 0 <= box["y"] <= 20  # stuck to the top of the window
        expect(page.locator(".desk-side button.workflow-publish")).to_be_in_viewport()
        page.screenshot(path=screenshot_dir() / f"desk-change-form-{locale}-1280.png")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_a_journalist_starts_with_my_work_on_a_phone(chromium, site, locale):
    journalist, editor, articles = _desk()
    context, page = _context_page(chromium, site, viewport=PHONE, locale=locale)
    try:
        admin_login(page, journalist)
        work = page.locator("#meine-arbeit")
        expect(work).to_contain_text("Zahlen prüfen")  # sent back, with the reason
        expect(work).to_contain_text(f"{LONG} (2)")
        expect(work).to_contain_text("Meine Arbeit" if locale == "de-DE" else "My work")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=screenshot_dir() / f"desk-my-work-{locale}-375.png", full_page=True)

        work.get_by_role("link", name=f"{LONG} (0)").click()
        # On a phone the side panel follows the form (stacked), nothing wider than the screen.
        expect(page.locator(".desk-side")).to_be_attached()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator(".desk-side").scroll_into_view_if_needed()
        page.screenshot(path=screenshot_dir() / f"desk-side-panel-{locale}-375.png")
    finally:
        context.close()


def test_an_editor_shares_a_preview_link_and_revokes_it(chromium, site, new_page):
    journalist, editor, articles = _desk()
    page = new_page()
    admin_login(page, editor)
    page.goto(f"/admin/articles/article/{articles[1].pk}/change/")
    page.select_option("#id_preview_link_days", "3")
    page.click("button.desk-preview-link-create")
    expect(page.locator(".messagelist .success")).to_be_visible()
    url = page.input_value(".desk-preview-link-url")
    assert "/vorschau/" in url

    stranger = new_page(viewport=PHONE)  # no account, own cookies
    response = stranger.goto(url)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    expect(stranger.locator("h1")).to_contain_text(f"{LONG} (1)")
    expect(stranger.locator(".preview-banner")).to_be_visible()
    stranger.screenshot(path=screenshot_dir() / "desk-shared-preview-375.png")

    page.click("button.desk-preview-link-revoke")
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".desk-preview-link-url")).to_have_count(0)
    response = stranger.goto(url)
    assert response.status == 410
    expect(stranger.locator("h1")).not_to_contain_text(LONG)


def test_a_closed_tab_loses_nothing_autosave_restores_the_draft(chromium, site, settings):
    settings.ADMIN_AUTOSAVE_SECONDS = 1
    journalist, editor, articles = _desk()
    article = articles[2]
    context, page = _context_page(chromium, site, viewport=DESKTOP, locale="de-DE")
    try:
        admin_login(page, journalist)
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        page.fill("#id_lead", "Der Vorspann, den ich gerade schreibe")
        expect(page.locator(".desk-autosave-status")).to_contain_text("gesichert um", timeout=8_000)
        page.close()  # the tab is closed without saving

        page = context.new_page()
        page.goto(f"/admin/articles/article/{article.pk}/change/")
        expect(page.locator("#id_lead")).to_have_value("Vorspann")
        restore = page.get_by_role("button", name=re.compile("Entwurf vom .* wiederherstellen"))
        restore.click()
        expect(page.locator("#id_lead")).to_have_value("Der Vorspann, den ich gerade schreibe")
        page.screenshot(path=screenshot_dir() / "desk-autosave-restored-1280.png")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist .success")).to_be_visible()
        article.refresh_from_db()
        assert article.lead == "Der Vorspann, den ich gerade schreibe"
        expect(page.locator(".desk-restore")).to_have_count(0)
    finally:
        context.close()


def test_two_editors_see_each_other_in_the_same_article(chromium, site, settings):
    settings.ADMIN_PRESENCE_SECONDS = 1
    journalist, editor, articles = _desk()
    article = articles[2]
    jana_context, jana = _context_page(chromium, site, viewport=DESKTOP, locale="de-DE")
    carla_context, carla = _context_page(chromium, site, viewport=PHONE, locale="en-US")
    try:
        admin_login(jana, journalist)
        admin_login(carla, editor)
        jana.goto(f"/admin/articles/article/{article.pk}/change/")
        carla.goto(f"/admin/articles/article/{article.pk}/change/")
        # Carla sees Jana at once (the page), Jana sees Carla at her next heartbeat.
        expect(carla.locator(".desk-presence")).to_have_text(
            "Jana Redlich is also editing this article."
        )
        expect(jana.locator(".desk-presence")).to_have_text(
            "Carla Vogt bearbeitet diesen Artikel ebenfalls.", timeout=8_000
        )
        jana.screenshot(path=screenshot_dir() / "desk-presence-de-1280.png")
        carla.screenshot(path=screenshot_dir() / "desk-presence-en-375.png")
    finally:
        jana_context.close()
        carla_context.close()


def test_an_editor_plans_the_week_reschedules_and_publishes(chromium, site):
    from datetime import datetime, timedelta

    from django.utils import timezone

    journalist, editor, articles = _desk()
    tz = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=1)
    go_live = datetime(day.year, day.month, day.day, 9, 0, tzinfo=tz)
    services.article_publish(actor=editor, article=articles[1], go_live_at=go_live)
    services.article_submit(actor=journalist, article=articles[2])

    context, page = _context_page(chromium, site, viewport=DESKTOP, locale="de-DE")
    try:
        admin_login(page, editor)
        page.get_by_role("link", name="Planung").click()
        expect(page.locator(".planning-review")).to_contain_text(f"{LONG} (2)")
        page.screenshot(path=screenshot_dir() / "desk-planning-de-1280.png", full_page=True)
        page.locator(".planning-review").get_by_role("button", name="Jetzt veröffentlichen").click()
        expect(page.locator(".messagelist .success")).to_contain_text("veröffentlicht")
        articles[2].refresh_from_db()
        assert articles[2].status == "published"

        page.goto(f"/admin/articles/article/planung/?ansicht=tag&tag={day.isoformat()}")
        entry = page.locator(".planning-go_live", has_text=f"{LONG} (1)")
        entry.locator("input[name=zeit]").fill("11:30")
        entry.get_by_role("button", name="Verschieben").click()
        expect(page.locator(".messagelist .success")).to_contain_text("verschoben")
        expect(page.locator(".planning-go_live time")).to_have_text("11:30")
        articles[1].refresh_from_db()
        assert timezone.localtime(articles[1].go_live_at).strftime("%H:%M") == "11:30"
    finally:
        context.close()

    context, page = _context_page(chromium, site, viewport=PHONE, locale="en-US")
    try:
        admin_login(page, editor)
        page.goto(f"/admin/articles/article/planung/?tag={day.isoformat()}")
        # The week also holds the article published a moment ago ("Went online").
        expect(page.locator(".planning-go_live", has_text=f"{LONG} (1)")).to_contain_text(
            "Goes live"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=screenshot_dir() / "desk-planning-en-375.png")
    finally:
        context.close()
