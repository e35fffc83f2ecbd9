from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Artikel")

    def ready(self) -> None:
        from articles import selectors
        from articles.signals import article_changed
        from articles.tasks import queue_search_words
        from core import pagecache, views

        # Core knows no app: tell it when articles appear or expire by themselves
        # (cached pages end then) and where the error pages' navigation comes from.
        pagecache.register_expiry_source(selectors.next_visibility_change)
        views.register_navigation_source(
            selectors.site_navigation, cache_key=selectors.NAVIGATION_CACHE_KEY
        )
        # A published article's words join the search lexicon (spellings, compounds).
        article_changed.connect(queue_search_words, dispatch_uid="articles-search-words")
