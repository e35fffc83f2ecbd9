"""Reader URLs (inside ``i18n_patterns``: German without prefix, English under /en/).

Fixed words (suche, thema, autor, archiv, feed) come before the
catch-all section patterns, so those words cannot be section slugs and
``feed`` cannot be an article slug.
"""

from django.urls import path, re_path

from articles import feeds, views

app_name = "articles"

# One path segment without control characters (a NUL would reach PostgreSQL).
TAG_SEGMENT = r"[^/\x00-\x1f\x7f]+"

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views.search, name="search"),
    path("feed/", feeds.LatestArticlesFeed.as_cached_view(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed.as_cached_view(), name="feed_atom"),
    path("feed/volltext/", feeds.FullTextFeed.as_cached_view(), name="feed_full_text"),
    path(
        "feed/volltext/atom/",
        feeds.FullTextAtomFeed.as_cached_view(),
        name="feed_full_text_atom",
    ),
    # Any segment (old Unicode slugs such as fußball too): the view answers 404 or
    # 301 to the current slug; a pattern that refuses them made reverse() raise.
    re_path(rf"^thema/(?P<slug>{TAG_SEGMENT})/$", views.tag, name="tag"),
    re_path(
        rf"^thema/(?P<slug>{TAG_SEGMENT})/feed/$",
        views.tag_moved_or(feeds.TagFeed.as_cached_view()),
        name="tag_feed",
    ),
    re_path(
        rf"^thema/(?P<slug>{TAG_SEGMENT})/feed/atom/$",
        views.tag_moved_or(feeds.TagAtomFeed.as_cached_view()),
        name="tag_feed_atom",
    ),
    path("autor/<slug:slug>/", views.author, name="author"),
    path("archiv/", views.archive, name="archive"),
    re_path(r"^archiv/(?P<year>[0-9]{4})/$", views.archive, name="archive_year"),
    re_path(
        r"^archiv/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/$", views.archive, name="archive_month"
    ),
    re_path(
        r"^archiv/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.archive,
        name="archive_day",
    ),
    path("<slug:section>/", views.section, name="section"),
    path("<slug:section>/feed/", feeds.SectionFeed.as_cached_view(), name="section_feed"),
    path(
        "<slug:section>/feed/atom/",
        feeds.SectionAtomFeed.as_cached_view(),
        name="section_feed_atom",
    ),
    path("<slug:section>/<slug:slug>/", views.article_detail, name="detail"),
]
