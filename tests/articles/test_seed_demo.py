"""seed_demo creates German demo content once; running it again changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles import images
from articles.models import Article, ArticleRevision, Correction, Image, RelatedArticle, Section


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
