"""Guard: awkward text (tests/support/corpus.py) through every path that makes a slug,
a URL or a page. No 500 anywhere; what is created gets a valid, non-empty ASCII slug,
or the user gets a clear form error and nothing is lost or half-stored.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from articles import services
from articles.models import Article, Author, Image, Section
from articles.slugs import german_slugify
from pages.models import Page
from tests.factories import make_image_bytes
from tests.support.adminforms import as_post_data, form_fields
from tests.support.corpus import AWKWARD, NO_SLUG, REFUSED

pytestmark = pytest.mark.django_db
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEYS = list(AWKWARD)


@pytest.fixture
def browser():
    """A client that returns a 500 as a response instead of raising, like a reader sees it."""
    return Client(raise_request_exception=False)


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def assert_form_error(response, field: str):
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors
    assert field in errors or "__all__" in errors, errors


@pytest.mark.parametrize("key", KEYS)
def test_article_headlines_from_the_admin_add_form(editor, section, key):
    client = logged_in(editor)
    url = reverse("admin:articles_article_add")
    fields = dict(form_fields(client.get(url).text, "article_form"))
    fields.update(
        headline=AWKWARD[key][:200],
        section=str(section.pk),
        lead="Vorspann",
        body="<p>Text</p>",
        _save="Sichern",
    )
    fields["slug"] = ""
    before = Article.objects.count()
    response = client.post(url, as_post_data(list(fields.items())))
    assert response.status_code < 500
    if key in REFUSED or not AWKWARD[key].strip():
        assert_form_error(response, "headline")
        assert Article.objects.count() == before
        return
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.latest("pk")
    assert SLUG.match(article.slug), article.slug
    assert article.headline == AWKWARD[key][:200].strip()


@pytest.mark.parametrize("key", KEYS)
def test_article_headlines_and_tags_through_the_services(client, editor, section, key):
    text = AWKWARD[key]
    if key in REFUSED:
        with pytest.raises(ValidationError):
            services.article_create(
                actor=editor, headline=text[:200], lead="V", section=section, tags=[text]
            )
        assert not Article.objects.exists() and not Tag.objects.exists()
        return
    if not text.strip():
        with pytest.raises(ValidationError):
            services.article_create(actor=editor, headline=text, lead="V", section=section)
        assert not Article.objects.exists()
        return
    article = services.article_create(
        actor=editor, headline=text[:200], lead="V", section=section, tags=[text[:100]]
    )
    article = services.article_publish(actor=editor, article=article)
    assert SLUG.match(article.slug)
    tag = Tag.objects.get()
    assert SLUG.match(tag.slug), tag.slug
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert client.get(reverse("articles:tag", kwargs={"slug": tag.slug})).status_code == 200
    assert client.get(reverse("articles:tag_feed", kwargs={"slug": tag.slug})).status_code == 200


@pytest.mark.parametrize("key", KEYS)
def test_tag_names_in_the_article_form(editor, section, key):
    client = logged_in(editor)
    article = services.article_create(actor=editor, headline="Mit Tags", lead="V", section=section)
    url = reverse("admin:articles_article_change", args=[article.pk])
    fields = form_fields(client.get(url).text, "article_form")
    name = AWKWARD[key][:100].replace('"', "")
    response = client.post(url, as_post_data(fields, _save="Sichern", tags=f'"{name}"'))
    assert response.status_code < 500
    if key in REFUSED:
        assert_form_error(response, "tags")
        assert not Tag.objects.exists()
        return
    assert response.status_code == 302, response.context["adminform"].form.errors
    for tag in Tag.objects.all():
        assert SLUG.match(tag.slug), tag.slug


@pytest.mark.parametrize(
    ("admin_name", "model", "extra"),
    [
        ("articles_section", Section, {"order": "0", "description": ""}),
        ("articles_author", Author, {"bio": ""}),
        ("taggit_tag", Tag, {}),
    ],
)
@pytest.mark.parametrize("key", KEYS)
def test_names_with_the_slug_the_admin_script_fills_in(editor, key, admin_name, model, extra):
    """The script prepopulates german_slugify(name) (tests/articles/test_slugs.py)."""
    client = logged_in(editor)
    url = reverse(f"admin:{admin_name}_add")
    page = client.get(url)
    assert page.status_code == 200
    fields = dict(form_fields(page.text, f"{model._meta.model_name}_form"))
    name = AWKWARD[key][:80]
    max_length = model._meta.get_field("slug").max_length
    fields.update(extra, name=name, slug=german_slugify(name, max_length=max_length))
    before = model.objects.count()
    response = client.post(url, as_post_data(list(fields.items()), _save="Sichern"))
    assert response.status_code < 500
    if key in REFUSED or (key in NO_SLUG and model is not Tag) or not name.strip():
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
        assert model.objects.count() == before
        return
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj = model.objects.latest("pk")
    assert SLUG.match(obj.slug), obj.slug


@pytest.mark.parametrize("key", KEYS)
def test_image_file_names(editor, key):
    client = logged_in(editor)
    url = reverse("admin:articles_image_add")
    upload = SimpleUploadedFile(
        f"{AWKWARD[key][:120]}.jpg".replace("/", "-"), make_image_bytes(640, 360), "image/jpeg"
    )
    data = {"alt_text": "Bild", "caption": "", "credit": "", "focal_x": "0.5", "focal_y": "0.5"}
    response = client.post(url, {**data, "file": upload, "_save": "Sichern"})
    assert response.status_code < 500
    if response.status_code == 200:  # a name the upload refuses: a form error, nothing stored
        assert response.context["adminform"].form.errors
        assert not Image.objects.exists()
        return
    stem = Image.objects.get().file.name.rsplit("/", 1)[-1]
    assert re.match(r"^[a-z0-9-]+\.[a-z]+$", stem), stem


@pytest.mark.parametrize("key", KEYS)
def test_search_queries(browser, key):
    response = browser.get(reverse("articles:search"), {"q": AWKWARD[key]})
    assert response.status_code < 500
    if key in REFUSED:
        assert response.status_code in {200, 400}


@pytest.mark.parametrize("key", KEYS)
def test_tag_page_urls_with_any_segment(browser, key):
    segment = quote(AWKWARD[key][:300].replace("/", "-"), safe="")
    for path in (f"/thema/{segment}/", f"/thema/{segment}/feed/", f"/en/thema/{segment}/"):
        assert browser.get(path).status_code in {301, 404}, path


@pytest.mark.parametrize("key", KEYS)
def test_comment_names_and_texts(browser, editor, section, key):
    article = services.article_create(
        actor=editor, headline="Kommentare", lead="V", section=section
    )
    article = services.article_publish(actor=editor, article=article)
    url = reverse("comments:compose", args=[article.pk])
    page = browser.get(url)
    assert page.status_code == 200
    fields = form_fields(page.text)
    data = as_post_data(
        fields, name=AWKWARD[key][:80], text=AWKWARD[key], email="leser@example.org"
    )
    response = browser.post(url, data)
    assert response.status_code < 500


@pytest.mark.parametrize("key", KEYS)
def test_page_titles(superuser, key):
    client = logged_in(superuser)
    url = reverse("admin:pages_page_add")
    fields = dict(form_fields(client.get(url).text, "page_form"))
    title = AWKWARD[key][:200]
    fields.update(title=title, slug=german_slugify(title, max_length=80), body="<p>Text</p>")
    response = client.post(url, as_post_data(list(fields.items()), _save="Sichern"))
    assert response.status_code < 500
    if response.status_code == 302:
        page = Page.objects.latest("pk")
        assert SLUG.match(page.slug), page.slug
        assert Client(raise_request_exception=False).get(page.get_absolute_url()).status_code < 500
    else:
        assert response.context["adminform"].form.errors
        assert key in REFUSED or key in NO_SLUG or not title.strip()
