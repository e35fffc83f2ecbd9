"""Tags: the admin form round-trips them, slugs are ASCII, old tag URLs redirect."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles import services
from articles.models import Article, OldTagSlug
from articles.tags import recovered_tag_name, tag_get_or_create
from tests.factories import ArticleFactory
from tests.support.adminforms import as_post_data, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(editor, section):
    article = services.article_create(
        actor=editor,
        headline="Landtag beschließt",
        lead="Vorspann",
        section=section,
        tags=["Landtag", "Öffentlicher Nahverkehr", "Fußball"],
    )
    return services.article_publish(actor=editor, article=article)


def change_form(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_fields(response.text, "article_form")


def test_the_tag_field_shows_the_tag_names_not_python_objects(client, editor, tagged):
    client.force_login(editor)
    _, fields = change_form(client, tagged)
    assert dict(fields)["tags"] == '"Öffentlicher Nahverkehr", Fußball, Landtag'


def test_saving_an_article_unchanged_in_the_admin_keeps_its_tags(client, editor, tagged):
    client.force_login(editor)
    version, revisions = tagged.version, tagged.revisions.count()
    for _ in range(3):  # the broken form nested the junk deeper with every save
        url, fields = change_form(client, tagged)
        response = client.post(url, as_post_data(fields, _save="Sichern"))
        assert response.status_code == 302, response.context["adminform"].form.errors
    tagged.refresh_from_db()
    assert sorted(tagged.tags.names()) == ["Fußball", "Landtag", "Öffentlicher Nahverkehr"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == sorted(tagged.tags.names())
    # Nothing edited: no new version or revision either.
    assert (tagged.version, tagged.revisions.count()) == (version, revisions)


def test_tag_names_the_database_cannot_store_get_a_form_error(client, editor, tagged):
    client.force_login(editor)
    url, fields = change_form(client, tagged)
    data = as_post_data(fields, _save="Sichern", tags="Gut, " + "x" * 101)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "höchstens 100 Zeichen" in str(response.context["adminform"].form.errors["tags"])
    data = as_post_data(fields, _save="Sichern", tags="Null\x00Byte")
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"]
    assert sorted(Article.objects.get(pk=tagged.pk).tags.names()) == [
        "Fußball",
        "Landtag",
        "Öffentlicher Nahverkehr",
    ]


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Fußball", "fussball"), ("Öl & Gas", "oel-gas"), ("Łódź", "lodz"), ("Москва", "moskva")],
)
def test_new_tags_get_the_sites_ascii_slug(section, name, slug):
    article = ArticleFactory(section=section)
    article.tags.add(name)
    assert Tag.objects.get(name=name).slug == slug


def test_tags_whose_slugs_collide_get_numbered_slugs(section):
    article = ArticleFactory(section=section)
    article.tags.add("Fußball", "Fussball", "🎉", "🔥")
    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert {slugs["Fußball"], slugs["Fussball"]} == {"fussball", "fussball-2"}
    assert {slugs["🎉"], slugs["🔥"]} == {"thema", "thema-2"}


def test_an_article_with_an_umlaut_tag_renders_and_links_the_tag_page(client, tagged):
    response = client.get(tagged.get_absolute_url())
    assert response.status_code == 200
    assert 'href="/thema/fussball/"' in response.text
    assert client.get("/thema/fussball/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/thema/fu%C3%9Fball/", "/thema/fußball/", "/en/thema/fu%C3%9Fball/"],
)
def test_an_old_tag_slug_answers_301_to_the_new_one(client, tagged, path):
    OldTagSlug.objects.create(old_slug="fußball", tag=Tag.objects.get(name="Fußball"))
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"].endswith("/thema/fussball/")


@pytest.mark.parametrize("path", ["/thema/fußball/", "/thema/Fu%C3%9Fball/", "/en/thema/fußball/"])
def test_a_tag_typed_as_it_is_spelt_answers_301_to_its_page(client, tagged, path):
    """A reader (or an old link) writes the tag's name, umlauts and all, in the URL."""
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"].endswith("/thema/fussball/")


def test_a_spelt_tag_leads_to_that_tag_when_its_transliteration_is_taken(client, section):
    article = ArticleFactory(section=section, published=True)
    article.tags.add("Fussball")
    article.tags.add("Fußball")
    target = Tag.objects.get(name="Fußball").slug
    assert target == "fussball-2"
    response = client.get("/thema/fußball/")
    assert response.status_code == 301
    assert response["Location"] == f"/thema/{target}/"
    assert client.get("/thema/fussball/").status_code == 200  # "Fussball" keeps its page


def test_an_old_tag_feed_url_answers_301_to_the_new_feed(client, tagged):
    OldTagSlug.objects.create(old_slug="fußball", tag=Tag.objects.get(name="Fußball"))
    response = client.get("/thema/fu%C3%9Fball/feed/")
    assert response.status_code == 301
    assert response["Location"] == "/thema/fussball/feed/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/thema/gibt-es-nicht/",
        "/thema/%C3%BCberall/",
        "/thema/%00/",
        "/thema/a%00b/feed/",
        "/thema/%E2%80%AE%F0%9F%8E%89/",
        "/thema/" + "x" * 3000 + "/",
        "/thema/%20/",
        "/thema/%FF/",
    ],
)
def test_any_unknown_tag_segment_is_a_clean_404(client, db, path):
    assert client.get(path).status_code == 404


def test_changing_a_tags_slug_in_the_admin_keeps_the_old_url(client, editor, tagged):
    client.force_login(editor)
    tag = Tag.objects.get(name="Landtag")
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    fields = form_fields(client.get(url).text, "tag_form")
    data = as_post_data(fields, _save="Sichern", slug="landesparlament")
    assert client.post(url, data).status_code == 302
    assert client.get("/thema/landtag/")["Location"] == "/thema/landesparlament/"


def test_a_tag_added_in_the_admin_without_slug_gets_the_sites_slug(client, editor):
    client.force_login(editor)
    url = reverse("admin:taggit_tag_add")
    response = client.post(url, {"name": "Große Straße", "slug": "", "_save": "Sichern"})
    assert response.status_code == 302
    assert Tag.objects.get(name="Große Straße").slug == "grosse-strasse"


def test_the_tag_admin_refuses_a_unicode_slug(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:taggit_tag_add"), {"name": "Fußball", "slug": "fußball", "_save": "1"}
    )
    assert response.status_code == 200
    assert not Tag.objects.filter(name="Fußball").exists()


def test_merging_tags_creates_the_target_with_the_sites_slug(client, editor, section):
    client.force_login(editor)
    article = ArticleFactory(section=section)
    article.tags.add("Fussball", "Fußball-WM")
    ids = [str(pk) for pk in Tag.objects.values_list("pk", flat=True)]
    session = client.session
    session["selected_tag_ids"] = ",".join(ids)
    session.save()
    response = client.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "Männerfußball"}
    )
    assert response.status_code == 302
    assert Tag.objects.get(name="Männerfußball").slug == "maennerfussball"


# --- the repair migration -------------------------------------------------------

MIGRATION = importlib.import_module("articles.migrations.0004_repair_tags_and_ascii_tag_slugs")


@pytest.mark.parametrize(
    ("junk", "real"),
    [
        ("[<Tag: Landtag>", "Landtag"),
        ("<Tag: Verwaltung>]", "Verwaltung"),
        ("[<Tag: [<Tag: Landtag>>", "Landtag"),
        ("<Tag: <Tag: Öffentlicher Nahverkehr>]>]", "Öffentlicher Nahverkehr"),
        ("[<Tag:", ""),
        ("Landtag>]", "Landtag"),
        ("Landtag", None),
        ("A > B", None),
    ],
)
def test_mangled_tag_names_are_recognised_and_recovered(junk, real):
    assert recovered_tag_name(junk) == real


def _raw_tag(name, slug):
    # As the broken form and taggit's own slugify stored them (no site slug).
    return Tag.objects.create(name=name, slug=slug)


def test_the_migration_moves_articles_from_mangled_tags_to_the_real_ones(section):
    from ads.models import Campaign
    from tests.ads.factories import CampaignFactory

    article = ArticleFactory(section=section)
    other = ArticleFactory(section=section, slug="zweiter")
    ct = ContentType.objects.get_for_model(Article)
    landtag = _raw_tag("Landtag", "landtag")
    junk = [
        _raw_tag("[<Tag: Landtag>", "tag-landtag"),
        _raw_tag("<Tag: Verwaltung>]", "tag-verwaltung"),
        _raw_tag("[<Tag: [<Tag: Landtag>>", "tag-tag-landtag"),
        _raw_tag("[<Tag:", "tag"),
    ]
    for tag in junk:
        TaggedItem.objects.create(tag=tag, content_type=ct, object_id=article.pk)
    TaggedItem.objects.create(tag=junk[2], content_type=ct, object_id=other.pk)
    campaign = CampaignFactory()
    campaign.target_tags.add(junk[1])

    MIGRATION.repair_and_reslug(apps, None)

    assert sorted(Article.objects.get(pk=article.pk).tags.names()) == ["Landtag", "Verwaltung"]
    assert list(Article.objects.get(pk=other.pk).tags.names()) == ["Landtag"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Landtag", "Verwaltung"]
    assert Tag.objects.get(name="Landtag").pk == landtag.pk
    assert [t.name for t in Campaign.objects.get(pk=campaign.pk).target_tags.all()] == [
        "Verwaltung"
    ]


def test_the_migration_gives_tags_ascii_slugs_and_keeps_the_old_ones(client, section):
    article = ArticleFactory(section=section, status=Article.Status.PUBLISHED)
    ct = ContentType.objects.get_for_model(Article)
    for name, slug in [("Fußball", "fußball"), ("Bürger", "burger"), ("Kultur", "kultur")]:
        TaggedItem.objects.create(tag=_raw_tag(name, slug), content_type=ct, object_id=article.pk)
    _raw_tag("Fussball", "fussball")  # the new slug of "Fußball" is taken

    MIGRATION.repair_and_reslug(apps, None)

    slugs = dict(Tag.objects.values_list("name", "slug"))
    assert slugs == {
        "Fußball": "fussball-2",
        "Bürger": "buerger",
        "Kultur": "kultur",
        "Fussball": "fussball",
    }
    assert dict(OldTagSlug.objects.values_list("old_slug", "tag__name")) == {
        "fußball": "Fußball",
        "burger": "Bürger",
    }
    assert client.get("/thema/burger/")["Location"] == "/thema/buerger/"
    assert client.get("/thema/fu%C3%9Fball/")["Location"] == "/thema/fussball-2/"


def test_tags_can_be_fetched_or_created_by_name_with_a_clear_error_for_bad_names(db):
    from django.core.exceptions import ValidationError

    assert tag_get_or_create("Wahl").slug == "wahl"
    assert tag_get_or_create("Wahl").pk == Tag.objects.get(name="Wahl").pk
    for bad in ["", "   ", "a\x00b", "x" * 101]:
        with pytest.raises(ValidationError):
            tag_get_or_create(bad)
