"""Machine endpoints outside the language prefixes: sitemaps, robots.txt, favicon.ico."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles import views
from articles.sitemaps import SITEMAPS
from core.caching import cache_for_readers

urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        cache_for_readers(views.in_default_language(sitemap)),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap_section",
    ),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]
