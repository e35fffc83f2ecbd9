"""The whole article page (text, related teasers, comments, inline feedback and
ads) costs a fixed number of queries, whatever the amount of data."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from comments.models import Comment, FeedbackPoint, text_fingerprint
from tests.ads.conftest import all_slots  # noqa: F401 - fixture
from tests.ads.factories import CampaignFactory, CreativeFactory
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

BUDGET = 10  # warm small caches (navigation, ad eligibility, comment settings)


def article_with(*, comments: int, slug: str, section, tag):
    article = ArticleFactory(
        published=True,
        slug=slug,
        section=section,
        tags=[tag.name],
        authors=[AuthorFactory(), AuthorFactory()],
        body="".join(f"<p>Absatz {i} des Artikels.</p>" for i in range(6)),
    )
    point = FeedbackPoint.objects.create(
        article=article, paragraph_index=1, passage="Absatz 1", question="Stimmt das?"
    )
    top: list[Comment] = []
    for n in range(comments):
        parent = top[n % len(top)] if top and n % 3 == 2 else None
        text = f"Kommentar {n} zu {slug}"
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root=parent,
            depth=1 if parent else 0,
            feedback_point=point if n % 10 == 9 else None,
            name=f"Leser {n}",
            email=f"leser{n}@example.org",
            text=text,
            text_hash=text_fingerprint(text),
            status=Comment.Status.APPROVED,
            is_staff_comment=n == 0,
        )
        if parent is None:
            top.append(comment)
    return article


def queries_for(client, url: str) -> int:
    client.get(url)  # fills the small shared caches, as any earlier reader would
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_full_article_page_costs_the_same_queries_with_0_or_120_comments(client, all_slots):  # noqa: F811
    cache.clear()
    section = SectionFactory(slug="wirtschaft", name="Wirtschaft")
    tag = Tag.objects.create(name="Energie", slug="energie")
    for index in range(6):
        CreativeFactory(image_ad=index % 2 == 0, campaign=CampaignFactory(target_tags=[tag]))
    quiet = article_with(comments=0, slug="ruhig", section=section, tag=tag)
    busy = article_with(comments=120, slug="debatte", section=section, tag=tag)

    quiet_html = client.get(quiet.get_absolute_url()).content.decode()
    busy_html = client.get(busy.get_absolute_url()).content.decode()
    assert "ANZEIGE" in busy_html and "ANZEIGE" in quiet_html
    assert "Leser 1" in busy_html  # the comments are really on the page

    quiet_count = queries_for(client, quiet.get_absolute_url())
    busy_count = queries_for(client, busy.get_absolute_url())
    assert busy_count == quiet_count
    assert busy_count <= BUDGET, busy_count
