"""Fixed query budgets: page cost does not grow with authors, tags, related items or page size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Correction, RelatedArticle, RelatedLink
from comments.models import Comment
from tests.factories import AgencyFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.reader.conftest import make_renditions

pytestmark = pytest.mark.django_db


def _queries(client, url, *, warm: bool = True) -> int:
    """Queries of one render of ``url``.

    ``warm``: as in production, the small shared caches (navigation, ad
    slots) are filled by an earlier request; the page itself is rendered
    (the page cache is off in tests). Cold: every cache empty, the worst case.
    """
    cache.clear()
    if warm:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _rich_article(published, slug, n):
    image = ImageFactory()
    make_renditions(image, widths=(320, 640))
    article = published(
        slug=slug,
        agency=AgencyFactory(),
        teaser_image=image,
        authors=[AuthorFactory() for _ in range(n)],
        tags=[f"Tag {slug} {i}" for i in range(n)],
    )
    for i in range(n):
        Correction.objects.create(article=article, text=f"Korrektur {i}")
        RelatedLink.objects.create(article=article, title=f"Link {i}", url=f"https://e.org/{i}")
        other = published(slug=f"{slug}-verwandt-{i}", teaser_image=image, tags=[f"Tag {slug} 0"])
        RelatedArticle.objects.create(article=article, related=other, position=i)
    return article


def _comments(article, n):
    Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Leser {i}",
            email=f"leser{i}@example.org",
            text=f"Kommentar {i}",
            status=Comment.Status.APPROVED,
        )
        for i in range(n)
    )


def test_article_page_stays_within_six_queries_whatever_its_size(client, published, settings):
    """Issue #14: the article page rendered without page or fragment caches (only the small
    shared configuration caches warm: navigation, ad slots, moderation settings) costs at
    most six queries (five since the related teasers bring their images' renditions), the
    same with one author, tag, correction, link, related article and comment as with many,
    in a small archive as in a larger one."""
    settings.FRAGMENT_CACHE_ENABLED = False
    small_article = _rich_article(published, "klein", 1)
    _comments(small_article, 1)
    small = _queries(client, "/wirtschaft/klein/")
    large_article = _rich_article(published, "gross", 6)
    _comments(large_article, 40)
    for i in range(30):
        published(slug=f"archiv-{i}", hours_ago=2 + i, tags=["Tag gross 0", "Tag gross 1"])
    large = _queries(client, "/wirtschaft/gross/")
    assert large == small
    assert large <= 5
    assert _queries(client, "/wirtschaft/klein/") == small  # the bigger archive changes nothing
    # Even with every cache empty the count does not grow with the article's size.
    assert _queries(client, "/wirtschaft/klein/", warm=False) == _queries(
        client, "/wirtschaft/gross/", warm=False
    )


def test_home_page_query_count_is_fixed(client, published):
    image = ImageFactory()
    make_renditions(image, widths=(320,))
    published(teaser_image=image)
    published(teaser_image=image, hours_ago=2)  # lead + one section block
    few = _queries(client, "/")
    for number in range(5):
        section = SectionFactory(name=f"Ressort X{number}", slug=f"ressort-x{number}")
        for hours in range(5):
            published(section=section, teaser_image=image, hours_ago=hours + 2)
    many = _queries(client, "/")
    assert many == few
    assert many <= 8


@pytest.mark.parametrize("url", ["/wirtschaft/", "/thema/energie/", "/archiv/", "/?seite=2"])
def test_list_pages_query_count_is_fixed_for_any_page_size(client, published, url):
    image = ImageFactory()
    make_renditions(image, widths=(320,))
    author = AuthorFactory(slug="autorin")
    for hours in range(21):
        published(teaser_image=image, tags=["Energie"], authors=[author], hours_ago=hours + 1)
    first = _queries(client, url)
    for hours in range(15):
        published(teaser_image=image, tags=["Energie"], authors=[author], hours_ago=hours + 30)
    assert _queries(client, url) == first
    assert first <= 8


def test_author_and_search_pages_have_small_fixed_budgets(client, published):
    author = AuthorFactory(slug="autorin")
    for hours in range(25):
        published(headline=f"Solar {hours}", authors=[author], hours_ago=hours + 1)
    assert _queries(client, "/autor/autorin/") <= 8
    assert _queries(client, "/suche/?q=Solar") <= 5
