"""Ads add a small, fixed number of queries to a page, and none when cached."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from taggit.models import Tag

from articles.models import Article
from tests.ads.factories import CampaignFactory, CreativeFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLE_PAGE = (
    "{% load ads %}"
    '{% ad_slot "article_top" %}{% ad_inline body %}'
    '{% ad_slot "article_sidebar" %}{% ad_slot "article_bottom" %}'
)


def render_article_page(article):
    context = Context(
        {
            "request": RequestFactory().get("/"),
            "article": article,
            "body": mark_safe(article.body),  # noqa: S308 (factory-made test body)
        }
    )
    return Template(ARTICLE_PAGE).render(context)


@pytest.fixture
def article_with_ads(all_slots):
    tag = Tag.objects.create(name="Energie")
    article = ArticleFactory(published=True, tags=[tag], body="<p>Eins</p><p>Zwei</p><p>Drei</p>")
    for index in range(4):
        CreativeFactory(image_ad=index % 2 == 0, campaign=CampaignFactory(target_tags=[tag]))
    CreativeFactory(html_ad=True)
    return Article.objects.prefetch_related("tags").get(pk=article.pk)


def test_a_page_with_four_slots_costs_at_most_two_queries_per_slot(
    article_with_ads, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        html = render_article_page(article_with_ads)
    assert html.count("ANZEIGE") == 4


def test_a_page_with_ads_costs_no_queries_when_the_eligible_sets_are_cached(
    article_with_ads, django_assert_num_queries
):
    render_article_page(article_with_ads)
    fresh = Article.objects.prefetch_related("tags").get(pk=article_with_ads.pk)
    with django_assert_num_queries(0):
        html = render_article_page(fresh)
    assert html.count("ANZEIGE") == 4


def test_without_prefetched_tags_the_page_pays_one_query_for_them(
    article_with_ads, django_assert_num_queries
):
    render_article_page(article_with_ads)
    plain = Article.objects.get(pk=article_with_ads.pk)
    with django_assert_num_queries(1):
        render_article_page(plain)


def test_filling_a_slot_costs_no_queries_when_cached(
    article_with_ads, client, django_assert_num_queries
):
    from django.urls import reverse

    url = (
        reverse("ads:slot", args=["article_top"])
        + f"?p=article&t={article_with_ads.tags.all()[0].pk}"
    )
    client.get(url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0")
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_USER_AGENT="Mozilla/5.0 Firefox/128.0").json()["html"]
