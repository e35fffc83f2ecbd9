"""Reader URLs (inside ``i18n_patterns``: German without prefix, English under /en/).

Fixed words (suche, thema, autor, archiv, feed) come before the
catch-all section patterns, so those words cannot be section slugs and
``feed`` cannot be an article slug.
"""

from django.urls import path, re_path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("suche/", views.search, name="search"),
    path("feed/", feeds.LatestArticlesFeed.as_cached_view(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed.as_cached_view(), name="feed_atom"),
    path("thema/<slug:slug>/", views.tag, name="tag"),
    path("thema/<slug:slug>/feed/", feeds.TagFeed.as_cached_view(), name="tag_feed"),
    path("thema/<slug:slug>/feed/atom/", feeds.TagAtomFeed.as_cached_view(), name="tag_feed_atom"),
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
