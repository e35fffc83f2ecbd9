"""Guard: every admin page we built fits the screen of the person who uses it.

Each custom page (moderation desk, planning, "Meine Arbeit", ticker desk, ad report,
the article form, the DSA notice and comment lists) is opened at 375 and 1280 px by
its role, with content as long as readers and editors write it (long e-mail
addresses, German compound words, URLs): the page must not scroll sideways.

On the article form (375, 1280 and 1600 px; the desk layout has two columns from
1200 px) no visible form control may stick out of its fieldset, its column or any
box that clips it, so nothing is cut off on the right.

Every registered admin change list and change form (the first object's, or the add
form), opened by the superuser and each role's demo account at 375 and 1280 px, leaves
every field and menu at least 44 px wide, no button text cut off, and the list's link
column (headline, name) neither cut off by its box nor squeezed by the table.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from newsroom import roles
from tests.browser.checks import horizontal_overflow, save_screenshot
from tests.browser.conftest import DESKTOP, PHONE, admin_login
from tests.browser.people import staff_member
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_EMAIL = "neuling.peter.mit.einem.langen.namen@leserbriefe-aus-der-nachbarschaft.example"
LONG_WORD = "Rechenzentrumsabwärmenutzungsförderprogrammverwaltungsvorschriftenänderung"
LONG_URL = (
    "https://www.beispiel-landesregierung-hessen.example/pressemitteilungen/2026/"
    "rechenzentrum-kasernengelaende-abwaerme-nachbarschaftswaermenetz-ausbau"
)
LONG_TEXT = f"Siehe {LONG_URL} zur {LONG_WORD}; Kontakt {LONG_EMAIL}."
WIDE = {"width": 1600, "height": 900}


@pytest.fixture
def newsroom_with_long_content():
    """Articles, comments, a DSA notice, a ticker and a campaign report, all with long
    unbreakable words; returns the role users and the objects the pages show."""
    from ads.models import Advertiser, Campaign, Creative, DailyStat, Slot
    from comments import tokens
    from comments.services import comment_post
    from comments.services.notices import notice_submit
    from ticker import services as ticker_services

    journalist = staff_member("redakteurin", roles.JOURNALIST)
    editor = staff_member("cvd", roles.EDITOR)
    moderator = staff_member("moderation", roles.MODERATOR)
    ad_manager = staff_member("anzeigen", roles.AD_MANAGER)
    section = SectionFactory(name=LONG_WORD, slug="wirtschaft")
    author = AuthorFactory(name=f"Dr. {LONG_WORD}", user=journalist)
    article = ArticleFactory(
        published=True,
        headline=f"{LONG_WORD} beschlossen",
        kicker=LONG_WORD,
        lead=LONG_TEXT,
        body=f"<p>{LONG_TEXT}</p>",
        section=section,
        authors=[author],
        tags=[LONG_WORD, "Hessen"],
        created_by=journalist,
    )
    ArticleFactory(
        headline=f"Entwurf zur {LONG_WORD}",
        section=section,
        authors=[author],
        created_by=journalist,
        go_live_at=timezone.now() + timedelta(hours=2),
    )
    planned = ArticleFactory(
        published=True,
        headline=f"Geplant: {LONG_WORD}",
        section=section,
        go_live_at=timezone.now() + timedelta(hours=3),
    )
    comment = comment_post(
        article=article,
        name=LONG_EMAIL,
        email=LONG_EMAIL,
        text=LONG_TEXT,
        form_token=tokens.form_timestamp(time.time() - 120),
    )
    notice_submit(
        comment=comment,
        ground="insult",
        explanation=LONG_TEXT,
        name=LONG_WORD,
        email=LONG_EMAIL,
        good_faith=True,
    )
    ticker = ticker_services.ticker_start(user=editor, article=article)
    ticker_services.entry_add(user=editor, ticker=ticker, body=f"<p>{LONG_TEXT}</p>")

    advertiser = Advertiser.objects.create(name=f"Fahrradhaus {LONG_WORD}")
    campaign = Campaign.objects.create(
        advertiser=advertiser,
        name=LONG_WORD,
        starts_at=timezone.now() - timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5),
        max_impressions=10_000,
    )
    slot = Slot.objects.create(code="article_top", name=f"Artikel oben {LONG_WORD}")
    creative = Creative.objects.create(
        campaign=campaign,
        name=LONG_WORD,
        kind="text",
        headline="H",
        text="T",
        click_url=LONG_URL,
    )
    for day in range(5):
        DailyStat.objects.create(
            creative=creative,
            slot=slot,
            section=section,
            day=timezone.localdate() - timedelta(days=day),
            impressions=1000 + day,
            viewable_impressions=600,
            clicks=3,
        )
    return {
        roles.JOURNALIST: journalist,
        roles.EDITOR: editor,
        roles.MODERATOR: moderator,
        roles.AD_MANAGER: ad_manager,
        "article": article,
        "ticker": ticker,
        "campaign": campaign,
        "planned": planned,
    }


# (name, role, path template, text the page must show)
PAGES = [
    (
        "moderation-desk",
        roles.MODERATOR,
        "/admin/comments/comment/desk/?queue=reported",
        LONG_EMAIL[:20],
    ),
    ("comment-list", roles.MODERATOR, "/admin/comments/comment/?queue=reported", "neuling"),
    ("notice-list", roles.MODERATOR, "/admin/comments/notice/", "Beleidigung"),
    ("planning", roles.EDITOR, "/admin/articles/article/planung/?tag={planned_day}", "Geplant"),
    ("my-work", roles.JOURNALIST, "/admin/", "Meine Arbeit"),
    ("ticker-desk", roles.EDITOR, "/admin/ticker/ticker/{ticker}/change/", "beschlossen"),
    ("ad-report", roles.AD_MANAGER, "/admin/ads/campaign/{campaign}/bericht/", "Fahrradhaus"),
    ("article-add", roles.JOURNALIST, "/admin/articles/article/add/", "Kennzeichnung"),
    ("article-change", roles.JOURNALIST, "/admin/articles/article/{article}/change/", "beschl"),
    ("article-change-cvd", roles.EDITOR, "/admin/articles/article/{article}/change/", "beschl"),
]


def _path(template: str, data: dict) -> str:
    return template.format(
        ticker=data["ticker"].pk,
        campaign=data["campaign"].pk,
        article=data["article"].pk,
        planned_day=timezone.localtime(data["planned"].go_live_at).date().isoformat(),
    )


@pytest.mark.parametrize(("name", "role", "template", "text"), PAGES, ids=[p[0] for p in PAGES])
def test_each_custom_admin_page_fits_its_users_screen(
    new_page, newsroom_with_long_content, name, role, template, text
):
    data = newsroom_with_long_content
    problems = []
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        admin_login(page, data[role])
        page.goto(_path(template, data))
        expect(page.locator("#content")).to_contain_text(text)
        page.wait_for_load_state("load")
        save_screenshot(page, f"fit-{name}-{viewport['width']}")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append((viewport["width"], horizontal_overflow(page)))
    assert not problems, (name, problems)


CONTROLS_OUTSIDE_THEIR_BOX = """() => {
  const problems = [];
  const controls = document.querySelectorAll(
    '#content input:not([type=hidden]), #content textarea, #content select, ' +
    '#content iframe.cke_wysiwyg_frame, #content .cke');
  for (const el of controls) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.closest('.select2-hidden-accessible, [hidden], .visually-hidden')) continue;
    let scrolls = false;  // inside a box that scrolls sideways: reachable, not cut off
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
      const clips = overflow === 'hidden' || overflow === 'clip';
      if (!(up.tagName === 'FIELDSET' || clips)) continue;
      const outer = up.getBoundingClientRect();
      if (outer.width === 0) continue;
      if (box.right > outer.right + 1 || box.left < outer.left - 1) {
        const label = el.name || el.id || el.className;
        const boxName = up.tagName.toLowerCase() + (up.id ? '#' + up.id : '') +
          (up.classList.length ? '.' + [...up.classList].join('.') : '');
        problems.push(`${el.tagName.toLowerCase()} ${label}: ${Math.round(box.left)}..` +
          `${Math.round(box.right)} outside ${boxName} ${Math.round(outer.left)}..` +
          `${Math.round(outer.right)}`);
        break;
      }
    }
    if (!scrolls && box.right > window.innerWidth + 1) {
      problems.push(`${el.tagName.toLowerCase()} ${el.name || el.id}: right ${box.right}`);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("form", ["add", "change"])
def test_no_article_form_control_sticks_out_of_its_box(new_page, newsroom_with_long_content, form):
    data = newsroom_with_long_content
    path = (
        "/admin/articles/article/add/"
        if form == "add"
        else f"/admin/articles/article/{data['article'].pk}/change/"
    )
    problems = []
    for viewport in (PHONE, DESKTOP, WIDE):
        page = new_page(viewport=viewport)
        admin_login(page, data[roles.EDITOR])
        page.goto(path)
        # CKEditor replaces the body's textarea once loaded.
        expect(page.locator("iframe.cke_wysiwyg_frame").first).to_be_visible()
        # Open collapsed boxes: every control must fit, not only the visible ones.
        for summary in page.locator("#content details > summary").all():
            if summary.is_visible():
                summary.click()
        save_screenshot(page, f"article-{form}-controls-{viewport['width']}")
        problems += [(viewport["width"], p) for p in page.evaluate(CONTROLS_OUTSIDE_THEIR_BOX)]
    assert not problems, problems


# Every admin change list and change form, for every role that may open it.
DEMO_ACCOUNTS = ["admin", "redakteurin", "cvd", "moderation", "anzeigen"]  # seed_demo's

CONTROLS_TOO_NARROW = """() => {
  // A field or menu narrower than a thumb (44 px), or a button narrower than its text
  // or than Django's 16 px icons (calendar, clock), is unusable. The change list's link
  // column (the headline, the name: Django's first column, a <th>) must not be cut off
  // by its box with less than 120 px of it in view as the page opens (before anyone
  // scrolls the table sideways), nor squeezed by the table below 80 px (all of the
  // text when shorter).
  const MIN_CONTROL = 44, MIN_BUTTON = 16, MIN_LINK = 120, MIN_SQUEEZED = 80;
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.name ? `[name=${el.name}]` : '');
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return null;
    if (getComputedStyle(el).visibility === 'hidden') return null;
    if (el.closest('[hidden], .visually-hidden, .select2-hidden-accessible')) return null;
    return box;
  };
  // The width a control can show: cut by every box that clips it, and never wider than
  // a box that scrolls it (reachable by scrolling, but not wider than the box).
  const usableWidth = (el, box) => {
    let left = box.left, right = box.right, width = box.width;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === 'visible') continue;
      if (overflow === 'auto' || overflow === 'scroll') {
        width = Math.min(width, up.clientWidth);
        continue;
      }
      const outer = up.getBoundingClientRect();
      left = Math.max(left, outer.left);
      right = Math.min(right, outer.right);
    }
    return Math.min(width, right - left, window.innerWidth);
  };
  // The width of a link cell seen before scrolling: cut by every box around it.
  const widthAtStart = (el, box) => {
    let left = box.left, right = box.right;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const outer = up.getBoundingClientRect();
      left = Math.max(left, outer.left);
      right = Math.min(right, outer.right);
    }
    return Math.min(right, window.innerWidth) - Math.max(left, 0);
  };
  const controls = document.querySelectorAll(
    '#content input:not([type=hidden]):not([type=checkbox]):not([type=radio])' +
    ':not(.select2-search__field), #content select, #content textarea, ' +
    '#content button, #content .select2-container');
  for (const el of controls) {
    const box = shown(el);
    if (!box) continue;
    const width = usableWidth(el, box);
    const button = el.tagName === 'BUTTON';
    // Icon buttons hide their text on purpose (Django's selector arrows: text-indent).
    const hidesText = parseFloat(getComputedStyle(el).textIndent) < 0;
    const cut = button && !hidesText && el.scrollWidth > el.clientWidth + 1;
    if (width < (button ? MIN_BUTTON : MIN_CONTROL) - 1 || cut) {
      problems.push(`${name(el)} ${Math.round(width)} px wide` + (cut ? ', text cut off' : ''));
    }
  }
  for (const link of document.querySelectorAll('#result_list tbody tr:first-child th > a')) {
    if (!shown(link)) continue;
    const cell = link.parentElement;
    const before = link.style.whiteSpace;
    link.style.whiteSpace = 'nowrap';
    const text = link.getBoundingClientRect().width;
    link.style.whiteSpace = before;
    const box = cell.getBoundingClientRect();
    const width = widthAtStart(cell, box);
    // Cut off by its box with less than 120 px (or the whole text) in view ...
    const cut = width < box.width - 1 && width < Math.min(MIN_LINK, text) - 1;
    // ... or squeezed by the table below 80 px (or the text): one word a line.
    const squeezed = box.width < Math.min(MIN_SQUEEZED, text) - 1;
    if (cut || squeezed) {
      problems.push(`link column ${cell.className}: ${Math.round(width)} of ` +
        `${Math.round(box.width)} px shown, text ${Math.round(text)} px`);
    }
  }
  return problems;
}"""


def _admin_pages_of(username: str) -> list[tuple[str, str]]:
    """(name, path) of every change list the account may open, and the change form of
    its first object (or the add form when there is none)."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.urls import NoReverseMatch, reverse

    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username=username)
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request):
            continue
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages.append((f"{model._meta.label}-list", reverse("admin:{}_{}_changelist".format(*info))))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is not None and model_admin.has_view_or_change_permission(request, first):
            path = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
            pages.append((f"{model._meta.label}-form", path))
        elif model_admin.has_add_permission(request):
            try:
                path = reverse("admin:{}_{}_add".format(*info))
            except NoReverseMatch:
                continue
            pages.append((f"{model._meta.label}-add", path))
    return pages


@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_every_admin_list_and_form_leaves_controls_and_links_usable(
    new_page, settings, tmp_path, username
):
    from django.core.management import call_command

    from newsroom.management.commands.seed_demo import DEMO_USERS

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--force", verbosity=0)
    password = next(user[1] for user in DEMO_USERS if user[0] == username)
    pages = _admin_pages_of(username)
    assert pages, f"{username} sees no admin page"
    problems = []
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport=viewport)
        admin_login(page, type("Account", (), {"username": username}), password)
        for name, path in pages:
            response = page.goto(path)
            assert response is not None
            if name.endswith("-add") and response.status == 403:
                continue  # a one-row table (the settings) refuses a second row
            assert response.ok, (name, path, response.status)
            page.wait_for_load_state("load")
            found = page.evaluate(CONTROLS_TOO_NARROW)
            if found:
                save_screenshot(page, f"fit-controls-{username}-{name}-{viewport['width']}")
                problems += [f"{viewport['width']} px {name}: {p}" for p in found]
    assert not problems, "\n".join(problems)
