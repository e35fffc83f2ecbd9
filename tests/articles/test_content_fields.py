"""The article's content fields are declared once (``Article.CONTENT_FIELDS``); the admin
form, its fieldsets and the revision snapshot all follow it, so a new field cannot be
forgotten in one of them."""

import pytest
from django.contrib import admin

from articles import revisions, services
from articles.forms import ArticleAdminForm
from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

# Not content: the workflow's fields, which the change form shows read-only (status,
# dates, who, version), and what no form edits.
NOT_CONTENT = {
    *admin.site._registry[Article].readonly_fields,
    "created_by",  # shown read-only as names (created_by_name, updated_by_name)
    "updated_by",
    "id",
    "search_row",  # PostgreSQL keeps it (ArticleSearch, written by triggers)
    "authors",  # edited in its inline (ArticleAuthor), snapshotted as "authors"
    "tagged_items",  # taggit's rows behind "tags"
    "licence_until",  # workflow: set only by services.licences.article_licence_extend
}


def _fieldset_fields(fieldsets) -> list[str]:
    names: list[str] = []
    for _title, options in fieldsets:
        for entry in options["fields"]:
            names.extend(entry if isinstance(entry, tuple | list) else [entry])
    return names


def test_every_editable_model_field_is_content_or_workflow():
    # Forward fields (reverse relations are auto-created and have no column).
    fields = {f.name for f in Article._meta.get_fields() if f.concrete or not f.auto_created}
    assert fields - NOT_CONTENT == set(Article.CONTENT_FIELDS)


def test_the_admin_form_edits_exactly_the_content_fields():
    assert list(ArticleAdminForm._meta.fields) == list(Article.CONTENT_FIELDS)


def test_the_change_form_shows_every_content_field_once_in_order():
    model_admin = admin.site._registry[Article]
    shown = [name for name in _fieldset_fields(model_admin.fieldsets) if name != "edit_version"]
    content = [name for name in shown if name in Article.CONTENT_FIELDS]
    assert content == list(Article.CONTENT_FIELDS)
    assert set(shown) - set(content) <= set(model_admin.readonly_fields)


def test_the_revision_snapshot_records_and_labels_every_content_field(db):
    article = ArticleFactory()
    snapshot = revisions.take_snapshot(article)
    assert set(Article.CONTENT_FIELDS) <= set(snapshot)
    assert set(Article.CONTENT_FIELDS) <= set(revisions.FIELD_LABELS)
    restored = {*revisions.CONTENT_FIELDS, *revisions.FK_FIELDS, "tags"}
    assert restored == set(Article.CONTENT_FIELDS)


@pytest.mark.django_db
def test_restoring_a_revision_brings_back_every_content_field(editor):
    article = services.article_create(
        actor=editor,
        headline="Erste Fassung",
        lead="Vorspann eins",
        section=SectionFactory(),
        kicker="Dach",
        dateline="Kassel",
        meta_description="Meta eins",
        social_title="Sozial eins",
        noindex=True,
        comments_close_after_days=3,
        tags=["Landtag"],
    )
    first = {name: getattr(article, name) for name in revisions.CONTENT_FIELDS}
    services.article_update(
        actor=editor,
        article=article,
        expected_version=article.version,
        changes={
            "headline": "Zweite Fassung",
            "kicker": "",
            "dateline": "",
            "meta_description": "",
            "social_title": "",
            "noindex": False,
            "comments_close_after_days": None,
            "section": SectionFactory(),
            "language": "en",
        },
        tags=["Verwaltung"],
    )
    services.revision_restore(actor=editor, revision=article.revisions.get(number=1))

    article = Article.objects.get(pk=article.pk)
    assert {name: getattr(article, name) for name in revisions.CONTENT_FIELDS} == first
    assert sorted(article.tags.names()) == ["Landtag"]
