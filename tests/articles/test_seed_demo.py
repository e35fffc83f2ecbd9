"""seed_demo creates German demo content once; running it again changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import images
from articles.models import (
    Article,
    ArticleRevision,
    ArticleSearch,
    Correction,
    Image,
    RelatedArticle,
    Section,
)
from articles.slugs import german_slugify


def content_fingerprint():
    return {
        "articles": sorted(
            Article.objects.values_list("slug", "status", "headline", "section__slug", "version")
        ),
        "tags": sorted((a.slug, tuple(sorted(a.tags.names()))) for a in Article.objects.all()),
        "related": sorted(RelatedArticle.objects.values_list("article__slug", "related__slug")),
        "corrections": Correction.objects.count(),
        "revisions": ArticleRevision.objects.count(),
        "images": Image.objects.count(),
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_content(monkeypatch, capsys):
    monkeypatch.setattr(images, "RENDITION_WIDTHS", (320,))  # keep the test fast
    call_command("seed_demo", "--force")
    first = content_fingerprint()
    out = capsys.readouterr().out
    assert "cvd-demo-passwort" in out
    call_command("seed_demo", "--force")
    assert content_fingerprint() == first

    assert Section.objects.count() == 6
    assert len(first["articles"]) >= 30
    states = {status for _slug, status, *_ in first["articles"]}
    assert states == {"draft", "review", "published", "unpublished", "archived"}
    assert Article.objects.scheduled().count() >= 2
    expired = Article.objects.filter(status="published", expires_at__isnull=False)
    assert expired.exists() and not Article.objects.published().filter(pk__in=expired).exists()
    assert Article.objects.published().count() >= 15
    assert first["corrections"] == 3 and first["related"]
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="cvd").groups.filter(name="Chef vom Dienst").exists()
    assert users.get(username="redakteurin").author.articles.exists()
    assert Image.objects.filter(renditions__isnull=False).distinct().count() == first["images"]
    # One finished and one running live ticker, created once.
    from ticker.models import Ticker, TickerEntry

    assert sorted(t.is_running for t in Ticker.objects.all()) == [False, True]
    assert TickerEntry.objects.count() == 11
    assert TickerEntry.objects.filter(status="review").count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_production_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")


# Dated fields that look ahead (an expiry, a planned end, a retry time) may lie after now.
FORWARD_LOOKING = {"expires_at", "ends_at", "licence_until", "next_attempt_at", "revoked_at"}


def _dated_children():
    """Every model hanging off an article (directly, or through one model that does, like
    a ticker's entries) with each of its DateTimeFields: (model, path to the article, fields)."""
    from django.apps import apps
    from django.db import models

    def article_link(model):
        for field in model._meta.get_fields():
            if field.many_to_one or field.one_to_one:
                if field.concrete and field.related_model is Article:
                    return field.name
        return None

    for model in apps.get_models():
        if model is Article or model is ArticleSearch:  # the search row copies the article's dates
            continue
        dated = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateTimeField) and f.name not in FORWARD_LOOKING
        ]
        if not dated:
            continue
        direct = article_link(model)
        if direct:
            yield model, direct, dated
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is not None:
                through = article_link(field.related_model)
                if through:
                    yield model, f"{field.name}__{through}", dated
                    break


@pytest.mark.django_db
def test_seed_demo_dates_every_child_row_after_its_article_went_online(monkeypatch):
    """Comments, corrections, ticker entries, feedback points, revisions that record a
    publication, ...: none is dated before its article's first publication or in the
    future, and no article meant to be live has its go-live ahead."""
    from django.utils import timezone

    from articles import demo_content

    monkeypatch.setattr(images, "RENDITION_WIDTHS", (320,))
    call_command("seed_demo", "--force", stdout=io.StringIO())
    now = timezone.now()

    scheduled = {german_slugify(row[2]) for row in demo_content.ARTICLES if row[-1] == "scheduled"}
    early = [
        a.slug
        for a in Article.objects.filter(status="published", go_live_at__gt=now)
        if a.slug not in scheduled
    ]
    assert early == [], "meant to be live, but go-live ahead"

    checked, wrong = set(), []
    for model, path, fields in _dated_children():
        rows = model._default_manager.filter(**{f"{path}__first_published_at__isnull": False})
        if model is ArticleRevision:
            rows = rows.filter(snapshot__status="published")
        for row in rows.values(f"{path}__slug", f"{path}__first_published_at", *fields):
            slug, online = row.pop(f"{path}__slug"), row.pop(f"{path}__first_published_at")
            checked.add(model.__name__)
            for name, value in row.items():
                if value is not None and not online <= value <= now:
                    wrong.append(f"{model.__name__}.{name} {value:%d.%m. %H:%M} ({slug}, "
                                 f"online {online:%d.%m. %H:%M})")  # fmt: skip
    assert wrong == [], "\n".join(wrong)
    assert {"Comment", "Correction", "TickerEntry", "FeedbackPoint", "ArticleRevision"} <= checked
