"""The article admin for each role: pages, saving through the services, conflicts."""

import re

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory

INLINES = ["authorships", "related_items", "related_links", "corrections", "feedback_points"]


def form_data(article=None, **overrides):
    data = {
        "kicker": "",
        "headline": "Neue Brücke über den Fluss",
        "slug": "",
        "section": "",
        "lead": "Die Stadt baut eine Brücke.",
        "body": "<p>Text</p>",
        "tags": "",
        "comment_mode": "open",
        "kind": "editorial",  # the select always sends one (advertorials: tests/ads)
    }
    if article is not None:
        data.update(
            headline=article.headline,
            slug=article.slug,
            section=str(article.section_id),
            lead=article.lead,
            body=article.body,
            edit_version=str(article.version),
        )
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


@pytest.fixture
def own_draft(journalist, section):
    return services.article_create(
        actor=journalist, headline="Mein Entwurf", lead="Vorspann", section=section
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["journalist", "editor"])
def test_article_admin_pages_render_for_each_desk_role(client, role_users, role, own_draft):
    client.force_login(role_users[role])
    pk = own_draft.pk
    services.article_update(
        actor=role_users["editor"], article=own_draft, expected_version=1, changes={"lead": "Neu"}
    )
    urls = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?ansicht=meine-entwuerfe",
        reverse("admin:articles_article_changelist") + "?ansicht=pruefung",
        reverse("admin:articles_article_changelist") + "?ansicht=geplant",
        reverse("admin:articles_article_changelist") + "?q=Entwurf",
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[pk]),
        reverse("admin:articles_article_history", args=[pk]),
        reverse("admin:articles_article_revisions", args=[pk]),
        reverse("admin:articles_article_revision_compare", args=[pk]) + "?von=1&bis=2",
        reverse("admin:articles_article_preview", args=[pk]),
        reverse("admin:articles_article_workflow", args=[pk, "submit"]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_image_add"),
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:articles_agency_changelist"),
        reverse("admin:taggit_tag_changelist"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["moderator", "ad_manager"])
def test_moderators_and_ad_managers_have_no_access_to_articles(client, role_users, role, own_draft):
    client.force_login(role_users[role])
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:articles_article_preview", args=[own_draft.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:articles_article_change", args=[own_draft.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_journalist_sees_only_own_articles(
    client, journalist, other_journalist, section, own_draft
):
    foreign = services.article_create(
        actor=other_journalist, headline="Fremder Text", lead="x", section=section
    )
    client.force_login(journalist)
    page = client.get(reverse("admin:articles_article_changelist"))
    assert "Mein Entwurf" in page.text
    assert "Fremder Text" not in page.text
    assert client.get(reverse("admin:articles_article_change", args=[foreign.pk])).status_code in (
        302,
        403,
        404,
    )


@pytest.mark.django_db
def test_submitted_article_is_read_only_for_its_journalist(client, journalist, own_draft):
    services.article_submit(actor=journalist, article=own_draft)
    client.force_login(journalist)
    page = client.get(reverse("admin:articles_article_change", args=[own_draft.pk]))
    assert page.status_code == 200
    assert 'name="headline"' not in page.text


@pytest.mark.django_db
def test_adding_through_the_admin_fills_a_german_slug_and_stores_a_revision(
    client, journalist, section
):
    client.force_login(journalist)
    response = client.post(
        reverse("admin:articles_article_add"),
        form_data(
            section=str(section.pk), headline="Überfüllte Züge im Süden", tags="Bahn, Verkehr"
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.slug == "ueberfuellte-zuege-im-sueden"
    assert article.created_by == journalist
    assert [a.author.name for a in article.authorships.all()] == ["Jana Redlich"]
    assert sorted(article.tags.names()) == ["Bahn", "Verkehr"]
    assert article.revisions.get().snapshot["tags"] == ["Bahn", "Verkehr"]


@pytest.mark.django_db
def test_admin_save_goes_through_the_service_and_bumps_the_version(client, journalist, own_draft):
    client.force_login(journalist)
    url = reverse("admin:articles_article_change", args=[own_draft.pk])
    response = client.post(
        url, form_data(own_draft, body='<p onclick="x()">Sauber</p><script>x</script>')
    )
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.version == 2
    assert own_draft.body == "<p>Sauber</p>"
    assert own_draft.revisions.count() == 2


@pytest.mark.django_db
def test_stale_admin_save_is_refused_naming_the_other_editor_and_keeps_the_input(
    client, journalist, editor, own_draft
):
    client.force_login(journalist)
    url = reverse("admin:articles_article_change", args=[own_draft.pk])
    stale = form_data(own_draft, lead="Mein wichtiger neuer Vorspann")
    services.article_update(
        actor=editor,
        article=Article.objects.get(pk=own_draft.pk),
        expected_version=1,
        changes={"lead": "Vorspann vom CvD"},
    )
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Carla Vogt" in response.text
    assert "von=1&amp;bis=2" in response.text
    assert "Mein wichtiger neuer Vorspann" in response.text
    own_draft.refresh_from_db()
    assert own_draft.lead == "Vorspann vom CvD"
    # Saving again after seeing the message overwrites deliberately.
    form = response.context["adminform"].form
    assert form["edit_version"].value() == "2"


@pytest.mark.django_db
def test_workflow_buttons_follow_the_role(client, journalist, editor, own_draft):
    change = reverse("admin:articles_article_change", args=[own_draft.pk])
    client.force_login(journalist)
    page = client.get(change).text
    assert "workflow-submit" in page and "workflow-publish" not in page
    client.post(
        reverse("admin:articles_article_workflow", args=[own_draft.pk, "submit"]), {"note": ""}
    )
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.REVIEW
    assert (
        client.get(
            reverse("admin:articles_article_workflow", args=[own_draft.pk, "publish"])
        ).status_code
        == 403
    )

    client.force_login(editor)
    page = client.get(change).text
    assert "workflow-publish" in page and "workflow-send_back" in page
    response = client.post(
        reverse("admin:articles_article_workflow", args=[own_draft.pk, "send_back"]), {"note": ""}
    )
    assert response.status_code == 200
    assert "erforderlich" in response.text  # the reason is required
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.REVIEW
    client.post(
        reverse("admin:articles_article_workflow", args=[own_draft.pk, "publish"]),
        {"go_live_at_0": "", "go_live_at_1": "", "expires_at_0": "", "expires_at_1": ""},
    )
    own_draft.refresh_from_db()
    assert own_draft.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_bulk_actions_call_the_services_and_report_refusals(client, editor, section):
    draft = ArticleFactory(section=section, headline="Entwurf A")
    published = ArticleFactory(section=section, published=True, headline="Online B")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "unpublish_selected",
            "_selected_action": [draft.pk, published.pk],
            "bulk_confirm": "1",
        },
        follow=True,
    )
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == Article.Status.UNPUBLISHED
    assert draft.status == Article.Status.DRAFT
    assert "Entwurf A" in response.text


@pytest.mark.django_db
def test_restore_button_restores_through_the_service(client, editor, own_draft):
    services.article_update(
        actor=editor, article=own_draft, expected_version=1, changes={"headline": "Geändert"}
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_revision_restore", args=[own_draft.pk, 1])
    )
    assert response.status_code == 302
    own_draft.refresh_from_db()
    assert own_draft.headline == "Mein Entwurf"
    assert own_draft.version == 3


@pytest.mark.django_db
def test_diff_page_escapes_editor_html(client, editor, own_draft):
    services.article_update(
        actor=editor,
        article=own_draft,
        expected_version=1,
        changes={"headline": '<img src=x onerror="alert(1)">'},
    )
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_revision_compare", args=[own_draft.pk]))
    assert '<img src=x onerror="alert(1)">' not in page.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page.text


@pytest.mark.django_db
def test_preview_uses_the_reader_template_marked_noindex_and_uncached(client, editor, own_draft):
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_preview", args=[own_draft.pk]))
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert "Vorschau" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response.headers["Cache-Control"]
    assert (
        "private" in response.headers["Cache-Control"]
        or "no-store" in response.headers["Cache-Control"]
    )


@pytest.mark.django_db
def test_readers_cannot_open_a_preview(client, own_draft):
    response = client.get(reverse("admin:articles_article_preview", args=[own_draft.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


@pytest.mark.django_db
def test_tag_suggestions_answer_existing_tags(client, editor, section):
    ArticleFactory(section=section, tags=["Bundestag", "Bahn"])
    client.force_login(editor)
    response = client.get(reverse("admin:articles_tag_suggest") + "?q=bund")
    assert response.json() == {"results": ["Bundestag"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["admin:articles_article_add", "admin:articles_section_add", "admin:articles_author_add"],
)
def test_german_slug_script_loads_after_djangos_urlify_so_it_can_wrap_it(
    client, superuser, url_name
):
    client.force_login(superuser)
    html = client.get(reverse(url_name)).text
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    names = [src.rsplit("/", 1)[-1].split("?")[0] for src in scripts]
    assert "urlify.js" in names and "urlify_de.js" in names, names
    # prepopulate.js looks URLify up when the headline changes, so after urlify.js is enough.
    assert names.index("urlify.js") < names.index("urlify_de.js")


@pytest.mark.django_db
def test_editor_edits_an_inline_feedback_question_in_the_article_form(client, editor, section):
    from comments.models import FeedbackPoint

    article = ArticleFactory(
        section=section, body="<p>Absatz eins.</p><p>Absatz zwei mit Inhalt.</p><p>Drei.</p>"
    )
    point = FeedbackPoint.objects.create(
        article=article, paragraph_index=0, passage="Absatz eins.", question="Alt?"
    )
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = client.get(url).text
    assert 'name="feedback_points-0-question"' in page
    assert 'name="feedback_points-0-DELETE"' not in page  # answers would go with it
    data = form_data(
        article,
        **{
            "feedback_points-TOTAL_FORMS": "2",
            "feedback_points-INITIAL_FORMS": "1",
            "feedback_points-0-id": str(point.pk),
            "feedback_points-0-article": str(article.pk),
            "feedback_points-0-paragraph_index": "1",
            "feedback_points-0-question": "Was meinen Sie zu Absatz zwei?",
            "feedback_points-0-is_active": "on",
            "feedback_points-1-article": str(article.pk),
            "feedback_points-1-paragraph_index": "2",
            "feedback_points-1-question": "Und zu Absatz drei?",
            "feedback_points-1-is_active": "on",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.formset.errors for f in response.context["inline_admin_formsets"]
    ] + [response.context["adminform"].form.errors, response.context["errors"]]
    point.refresh_from_db()
    assert point.question == "Was meinen Sie zu Absatz zwei?"
    assert point.passage == "Absatz zwei mit Inhalt."
    assert article.feedback_points.count() == 2
