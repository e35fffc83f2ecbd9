"""Related teasers: hand-picked first, then shared tags, then same section; newest first."""

import pytest

from articles import selectors
from articles.models import RelatedArticle
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _related_of(article):
    page = selectors.article_page(section_slug=article.section.slug, slug=article.slug)
    return [a.headline for a in page.related]


def test_fill_order_is_hand_picked_then_tags_then_section(published):
    other = SectionFactory(name="Kultur", slug="kultur")
    article = published(headline="Hauptartikel", tags=["Energie"])
    published(headline="Gleiches Ressort neu", hours_ago=2)
    published(headline="Gleiches Thema alt", hours_ago=50, section=other, tags=["Energie"])
    picked = published(headline="Von Hand gewählt", hours_ago=100, section=other)
    RelatedArticle.objects.create(article=article, related=picked, position=0)
    assert _related_of(article) == [
        "Von Hand gewählt",
        "Gleiches Thema alt",
        "Gleiches Ressort neu",
    ]


def test_hand_picked_keep_their_position(published):
    other = SectionFactory(name="Kultur", slug="kultur")
    article = published(headline="Hauptartikel")
    second = published(headline="Zweiter", section=other, hours_ago=1)
    first = published(headline="Erster", section=other, hours_ago=5)
    RelatedArticle.objects.create(article=article, related=second, position=2)
    RelatedArticle.objects.create(article=article, related=first, position=1)
    assert _related_of(article)[:2] == ["Erster", "Zweiter"]


def test_newest_first_within_a_group_and_at_most_three(published):
    article = published(headline="Hauptartikel", hours_ago=0.5)
    for hours in (5, 1, 3, 2):
        published(headline=f"Vor {hours} Stunden", hours_ago=hours)
    assert _related_of(article) == ["Vor 1 Stunden", "Vor 2 Stunden", "Vor 3 Stunden"]


def test_never_itself_never_twice_only_published(published, section):
    article = published(headline="Hauptartikel", tags=["Energie", "Hessen"])
    both = published(headline="Teilt beide Tags", tags=["Energie", "Hessen"])
    RelatedArticle.objects.create(article=article, related=both, position=0)
    draft = ArticleFactory(headline="Entwurf", section=section, tags=["Energie"])
    RelatedArticle.objects.create(article=article, related=draft, position=1)
    related = _related_of(article)
    assert related == ["Teilt beide Tags"]


def test_exclude_ids_keeps_articles_already_on_the_page_out(published):
    article = published(headline="Hauptartikel")
    shown = published(headline="Schon sichtbar")
    published(headline="Noch nicht gezeigt", hours_ago=3)
    article = selectors.article_page(section_slug=article.section.slug, slug=article.slug).article
    teasers = selectors.related_teasers(article=article, exclude_ids=[shown.pk])
    assert [t.headline for t in teasers] == ["Noch nicht gezeigt"]


def test_related_teasers_show_kicker_headline_lead_and_thumbnail(
    client, published, image_with_renditions
):
    published(headline="Hauptartikel", slug="haupt")
    published(
        headline="Verwandt",
        kicker="Energie",
        lead="Ein Satz zur Lage.",
        teaser_image=image_with_renditions,
    )
    text = client.get("/wirtschaft/haupt/").text
    related = text[text.index("Mehr zum Thema") :]
    assert "Energie" in related and "Verwandt" in related and "Ein Satz zur Lage." in related
    assert "<picture>" in related


def test_related_teasers_are_always_three_filled_with_the_newest_of_the_site(published):
    """Issue #18, item 5: an article alone in its section and without tags still shows
    three teasers: the newest published articles of the whole site, never itself, never
    an unpublished or expired one."""
    from datetime import timedelta

    from django.utils import timezone

    kultur = SectionFactory(name="Kultur", slug="kultur")
    sport = SectionFactory(name="Sport", slug="sport")
    article = published(headline="Allein im Ressort", section=SectionFactory(slug="leer"))
    published(headline="Kultur neu", section=kultur, hours_ago=2)
    published(headline="Sport neu", section=sport, hours_ago=3)
    published(headline="Kultur alt", section=kultur, hours_ago=40)
    published(headline="Sport uralt", section=sport, hours_ago=90)
    ArticleFactory(headline="Entwurf", section=kultur)
    published(headline="Abgelaufen", section=sport, hours_ago=1).__class__.objects.filter(
        headline="Abgelaufen"
    ).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _related_of(article) == ["Kultur neu", "Sport neu", "Kultur alt"]


def test_the_fallback_comes_after_tags_and_section(published):
    kultur = SectionFactory(name="Kultur", slug="kultur")
    article = published(headline="Hauptartikel", tags=["Energie"], hours_ago=5)
    published(headline="Anderes Ressort ganz neu", section=kultur, hours_ago=0.5)
    published(headline="Gleiches Thema", section=kultur, tags=["Energie"], hours_ago=30)
    published(headline="Gleiches Ressort", hours_ago=20)
    assert _related_of(article) == [
        "Gleiches Thema",
        "Gleiches Ressort",
        "Anderes Ressort ganz neu",
    ]
