"""The Content Security Policy is strict everywhere and relaxed only where the
admin's editor (CKEditor 4) needs it: logged-in staff under /admin/.

The browser test is the proof that the relaxation is needed and enough: under
the strict policy CKEditor 4 never becomes ready (its toolbar uses inline event
handlers, its editing frame an inline script)."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory, UserFactory


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split("; ") if part}


@pytest.mark.django_db
def test_reader_pages_and_the_login_page_keep_the_strict_policy(client):
    """Scripts only from our origin (plus a nonce where a page uses one: Django adds
    it to the header only when a template asked for it; reader pages never do, so
    their cached bytes stay identical)."""
    ArticleFactory(published=True)
    for url in ["/", "/admin/login/"]:
        script_src = _directives(client.get(url)["Content-Security-Policy"])["script-src"]
        assert script_src[0] == "'self'", url
        assert all(source.startswith("'nonce-") for source in script_src[1:]), url


@pytest.mark.django_db
def test_only_logged_in_staff_get_the_editor_policy_in_the_admin(client):
    reader = UserFactory(username="leserin")  # logged in, but not staff
    client.force_login(reader)
    strict = _directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in strict["script-src"]

    client.force_login(UserFactory(username="chefin", is_staff=True, is_superuser=True))
    admin_policy = _directives(
        client.get("/admin/articles/article/add/")["Content-Security-Policy"]
    )
    assert admin_policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in admin_policy["script-src"]
    # Everything else stays as strict as on the reader pages.
    assert admin_policy["frame-ancestors"] == ["'none'"]
    assert admin_policy["object-src"] == ["'none'"]
    # …and the same staff member reading the site gets the strict policy.
    reader_policy = _directives(client.get("/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in reader_policy["script-src"]


@pytest.mark.django_db
def test_the_editor_policy_applies_only_to_admin_pages_that_host_the_editor(client):
    article = ArticleFactory()
    client.force_login(UserFactory(username="chefin", is_staff=True, is_superuser=True))

    def script_src(url: str) -> list[str]:
        response = client.get(url)
        assert response.status_code == 200, url
        return _directives(response["Content-Security-Policy"])["script-src"]

    for url in [
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/pages/page/add/",
    ]:
        assert "'unsafe-inline'" in script_src(url), url
    for url in [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/section/add/",
        "/admin/auth/user/",
        "/admin/einstellungen/",
    ]:
        assert "'unsafe-inline'" not in script_src(url), url
    # A failed save shows the editor again, under the editor policy.
    response = client.post("/admin/articles/article/add/", {"headline": ""})
    assert response.status_code == 200
    assert "'unsafe-inline'" in _directives(response["Content-Security-Policy"])["script-src"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ckeditor_works_under_the_admin_policy_without_csp_violations(chromium, live_server):
    article = ArticleFactory(body="<p>Alter Text.</p>")
    UserFactory(username="chefin", is_staff=True, is_superuser=True)
    context = chromium.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", "chefin")
        page.fill("#id_password", "correct-horse-battery")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")

        page.goto(f"/admin/articles/article/{article.pk}/change/")
        page.wait_for_function(
            "() => window.CKEDITOR && CKEDITOR.instances.id_body"
            " && CKEDITOR.instances.id_body.status === 'ready'",
            timeout=15_000,
        )
        # The toolbar (inline onclick handlers) works: "Bold" toggles its state.
        page.evaluate("() => CKEDITOR.instances.id_body.focus()")
        page.click(".cke_button__bold")
        assert (
            page.evaluate("() => CKEDITOR.instances.id_body.getCommand('bold').state") == 1
        )  # CKEDITOR.TRISTATE_ON
        page.evaluate(
            "() => CKEDITOR.instances.id_body.setData('<p>Neuer Text aus dem Editor.</p>')"
        )
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/articles/article/")
    finally:
        context.close()
    violations = [
        text for text in console if "Content Security Policy" in text or "pageerror" in text
    ]
    assert violations == []
    article.refresh_from_db()
    assert "Neuer Text aus dem Editor." in article.body
