"""Cache invalidation of reader pages, wired in ``NewsroomConfig.ready()``.

Reader pages are cached whole (core/pagecache.py). These handlers make
them stale when what they show changes:

* an article changes state or content (``articles.signals.article_changed``,
  sent by the services after commit): the article's own pages and every front,
  teaser list, feed and sitemap that might list it (tag ``"site"``);
* content edited directly in the admin that pages show (sections, authors,
  agencies, images, corrections, related items, static pages, tags).

Ad changes invalidate from ``ads.signals``; approved comments from the
comments app. Handlers only write to the cache and never raise.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from core.pagecache import invalidate

# Models edited outside the article services whose changes readers see.
CONTENT_MODELS = (
    "articles.Section",
    "articles.Author",
    "articles.Agency",
    "articles.Image",
    "articles.Correction",
    "articles.RelatedArticle",
    "articles.RelatedLink",
    "articles.ArticleAuthor",
    "pages.Page",
    "taggit.Tag",
)


def on_article_changed(sender, *, article_id: int, **kwargs) -> None:
    invalidate("site", f"article:{article_id}")


def on_content_saved(sender, instance, **kwargs) -> None:
    tags = ["site"]
    article_id = getattr(instance, "article_id", None)
    if article_id:
        tags.append(f"article:{article_id}")
    invalidate(*tags)


def connect() -> None:
    from articles.signals import article_changed

    article_changed.connect(on_article_changed, dispatch_uid="pagecache-article-changed")
    for label in CONTENT_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for signal in (post_save, post_delete):
            signal.connect(
                on_content_saved, sender=model, dispatch_uid=f"pagecache-{label}-{signal}"
            )
