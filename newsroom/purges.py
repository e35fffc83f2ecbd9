"""Every cache purge of newsroom, in one place, run when the transaction commits.

Wired in ``NewsroomConfig.ready()``: this module (in the composition root, which
may import every app) maps the domain signals of the apps to what they make
stale. No other module invalidates a cache (pinned by
``tests/newsroom/test_purges.py``).

=====================================================  ==============================================
signal (sender)                                        purge
=====================================================  ==============================================
``articles.signals.article_changed``                   pages ``"articles"``, ``"article:<id>"``,
                                                       ``"story:<original>"``; for a workflow step
                                                       or a move to another section also
                                                       ``"list:latest"``, ``"section:<id>"`` (old
                                                       and new), ``"tag:<id>"`` of its tags
post_save/post_delete of Correction, RelatedArticle,   pages ``"articles"``, ``"article:<id>"``
RelatedLink, ArticleAuthor (rows of one article)
post_save/post_delete of Section, Author, Agency,      pages ``"site"`` (every page)
Image, pages.Page, taggit.Tag
m2m_changed of Article.authors / Article.tags          pages ``"articles"``, ``"article:<id>"``
                                                       (tags: also ``"tag:<id>"`` of each one)
post_save/post_delete of Section, pages.Page           also the cached navigation (header, footer)
``articles.signals.image_renditions_built``            pages ``"articles"``, ``"article:<id>"`` of every
                                                       article showing the image
``comments.signals.comment_section_changed``           page ``"article:<id>"``
post_save/post_delete of comments.FeedbackPoint        page ``"article:<id>"``
post_save/post_delete of comments.ModerationSettings   the cached settings row (also at once, for
                                                       the writer's own reads); pages ``"site"``
post_save/post_delete of comments.ArticleDiscussion    the cached desk settings (also at once);
                                                       page ``"article:<id>"``
post_save/post_delete of ads Slot, Advertiser,         the ads version (every cached eligible set);
Campaign, Creative; m2m_changed of Campaign.slots,     pages ``"site"`` (they hold the slots and the
target_sections, target_tags                           ``<noscript>`` creative)
``ads.signals.ad_stats_flushed``                       the ads version (caps are checked again)
``ticker.signals.ticker_changed``                      the cached ticker index; pages
                                                       ``"article:<id>"`` (the ticker page, its
                                                       update endpoint, lists with its teaser)
``ticker.signals.breaking_news_changed``               the cached banner; pages ``"site"``
=====================================================  ==============================================

Why on commit: a purge inside the writer's transaction runs before readers can
see the new rows. A reader in that window misses the cache, renders the old
rows and stores them under the new tag version, and the page stays stale for
``PAGE_CACHE_SECONDS``. So every purge is queued with ``transaction.on_commit``
on the connection that wrote (outside a transaction it runs at once; after a
rollback it never runs, nothing changed). Purges write only to the cache (the
image purge reads the ids of the articles showing it), and ``robust=True`` keeps
a cache outage from breaking the save.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.pagecache import invalidate, replace_epoch

# Models edited outside the article services whose changes reader pages show.
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
# Models the cached site navigation shows (header sections, footer pages).
NAVIGATION_MODELS = ("articles.Section", "pages.Page")
ADS_MODELS = ("ads.Slot", "ads.Advertiser", "ads.Campaign", "ads.Creative")
M2M_ACTIONS = {"post_add", "post_remove", "post_clear"}
# Article fields whose change moves it between lists (a revision snapshot's names).
LIST_FIELDS = ("section", "language", "translation_of")


def on_commit(func: Callable[[], Any], *, using: str | None = None) -> None:
    """Run ``func`` once the transaction on ``using`` commits (at once outside one).

    ``robust``: an exception (a cache outage) is logged by Django, never raised
    into the save that triggered it.
    """
    transaction.on_commit(func, using=using or DEFAULT_DB_ALIAS, robust=True)


def purge_pages(*tags: str, using: str | None = None) -> None:
    """Make the cached reader pages tagged ``tags`` stale, on commit."""
    on_commit(partial(invalidate, *dict.fromkeys(tags)), using=using)


# --- articles ------------------------------------------------------------------


def article_page_tags(article_id: int, *, lists: bool, sections: tuple[int, ...] = ()) -> list[str]:
    """The page-cache tags a change of article ``article_id`` makes stale.

    Always: the pages and fragments showing it (``article:<id>``, on lists too), its
    story's other versions (``story:<original>``) and the pages that track no finer tags
    (``articles``). With ``lists`` (it may have joined or left lists: published,
    withdrawn, expired, moved): the newest-articles list, its section's list (and those
    in ``sections``) and its tags' lists. Never ``site``: a typo fix does not refresh
    pages that do not show the article (issue #15, item 4). Reads the article's
    section, story and tags (two queries; none when it was deleted).
    """
    from taggit.models import TaggedItem

    from articles.models import Article

    row = (
        Article.objects.filter(pk=article_id).values_list("section_id", "translation_of_id").first()
    )
    tags = ["articles", f"article:{article_id}"]
    if row is None:
        return [*tags, "list:latest"] if lists else tags
    section_id, original_id = row
    tags.append(f"story:{original_id or article_id}")
    if lists:
        tag_ids = TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=article_id,
        ).values_list("tag_id", flat=True)
        tags += [
            "list:latest",
            *(f"section:{pk}" for pk in dict.fromkeys((section_id, *sections))),
            *(f"tag:{pk}" for pk in sorted(tag_ids)),
        ]
    return tags


def _lists_moved_by_last_edit(article_id: int) -> tuple[bool, tuple[int, ...]]:
    """Whether the article's last edit moved it between lists (another section, language
    or original), and the sections before and after, from its two newest revisions
    (without an earlier revision: moved, the safe answer). One query."""
    from articles.models import ArticleRevision

    snapshots = list(
        ArticleRevision.objects.filter(article_id=article_id)
        .order_by("-pk")
        .values_list("snapshot", flat=True)[:2]
    )
    if len(snapshots) < 2:  # no earlier state to compare with: assume it moved
        return True, ()

    def ref(snapshot: dict, name: str) -> object:
        value = snapshot.get(name)
        return value.get("id") if isinstance(value, dict) else value

    new, old = snapshots
    moved = any(ref(new, name) != ref(old, name) for name in LIST_FIELDS)
    sections = {ref(old, "section"), ref(new, "section")}
    return moved, tuple(sorted(pk for pk in sections if isinstance(pk, int)))


def on_article_changed(sender, *, article_id: int, action: str = "", **kwargs) -> None:
    """An article changed: the pages showing it; for a workflow step (publish, withdraw,
    archive ...) or an edit that moved it (section, language, original) also the lists
    it joins or leaves. An edit that keeps them (a typo fix) refreshes only the pages
    that show the article: it, its story's versions, the lists and teasers showing it."""
    moved, sections = _lists_moved_by_last_edit(article_id) if action == "updated" else (False, ())
    lists = action != "updated" or moved
    purge_pages(*article_page_tags(article_id, lists=lists, sections=sections if moved else ()))


def on_content_changed(sender, instance, using: str | None = None, **kwargs) -> None:
    """A row pages show was saved or deleted: a row of one article (correction, link,
    related article, author line) refreshes what shows that article; anything else
    (a section, an author, an image, a static page, a tag) every page."""
    article_id = getattr(instance, "article_id", None)
    if article_id:
        purge_pages("articles", f"article:{article_id}", using=using)
    else:
        purge_pages("site", using=using)


def on_navigation_changed(sender, using: str | None = None, **kwargs) -> None:
    """A section or a static page changed: the cached header and footer navigation.

    Connected before ``on_content_changed``, so the navigation is gone when the
    pages are purged and re-rendered.
    """
    from articles.selectors import forget_site_navigation

    on_commit(forget_site_navigation, using=using)


def on_article_relation_changed(
    sender, instance, action: str, model, pk_set, using: str | None = None, **kwargs
) -> None:
    """Authors or tags of an article were added or removed (either side of the relation).

    Taggit's ``set()`` sends ``post_remove``/``post_add`` with no rows when the tags
    stayed the same (every admin save of an article): nothing is stale then.
    """
    if action not in M2M_ACTIONS or (action != "post_clear" and not pk_set):
        return
    from articles.models import Article

    lists: list[str] = []
    if isinstance(instance, Article):
        article_ids = [instance.pk]
        if sender is Article.tags.through:
            # The article joined or left these tags' lists.
            lists = [f"tag:{pk}" for pk in sorted(pk_set or ())]
    else:
        article_ids = sorted(pk_set or ()) if model is Article else []
        if sender is Article.tags.through:
            lists = [f"tag:{instance.pk}"]
    purge_pages("articles", *(f"article:{pk}" for pk in article_ids), *lists, using=using)


def on_image_renditions_built(sender, *, image_id: int, **kwargs) -> None:
    """New renditions: the pages showing the image get their ``srcset``.

    Articles show an image as their teaser image or as an author's photo.
    Side effect: one query for the article ids.
    """
    from django.db.models import Q

    from articles.models import Article

    article_ids = (
        Article.objects.filter(Q(teaser_image_id=image_id) | Q(authors__photo_id=image_id))
        .values_list("pk", flat=True)
        .distinct()
    )
    purge_pages("articles", *(f"article:{pk}" for pk in sorted(article_ids)))


# --- comments ------------------------------------------------------------------


def on_comment_section_changed(sender, *, article_id: int, **kwargs) -> None:
    """A comment appeared or disappeared: the article's page (and its comment fragments)."""
    purge_pages(f"article:{article_id}")


def on_feedback_point_changed(sender, instance, using: str | None = None, **kwargs) -> None:
    """Feedback points are shown on the article page."""
    purge_pages(f"article:{instance.article_id}", using=using)


def on_moderation_settings_changed(sender, using: str | None = None, **kwargs) -> None:
    """The settings row is cached, and article pages show what it sets (threads per
    page, depth, closing): drop the copy, then every page, on commit.

    The copy is also dropped at once, because code that changes the settings and
    then acts on them in the same transaction (the tests do it all the time) must
    see its own change. That early drop cannot leave an old row
    behind: a reader who caches the old row before the commit loses it to the
    drop on commit. (After a rollback, a copy the writer itself read in its
    transaction stays until the cache's five minutes end, as before.)
    """
    sender.forget_cached()
    on_commit(sender.forget_cached, using=using)
    purge_pages("site", using=using)


def on_article_discussion_changed(sender, instance, using: str | None = None, **kwargs) -> None:
    """The desk paused, closed or opened one article's discussion: the cached
    settings of all articles (dropped at once too, as the moderation settings) and
    that article's pages."""
    sender.forget_cached()
    on_commit(sender.forget_cached, using=using)
    purge_pages(f"article:{instance.article_id}", using=using)


# --- ads -----------------------------------------------------------------------


def on_ads_changed(sender, using: str | None = None, **kwargs) -> None:
    """Any change to ads: every cached eligible set and every page (they hold the slots)."""
    from ads.selectors import bump_ads_version

    on_commit(bump_ads_version, using=using)
    purge_pages("site", using=using)


def on_ad_stats_flushed(sender, **kwargs) -> None:
    """Counts reached the statistics: eligible sets are built again (caps are re-checked)."""
    from ads.selectors import bump_ads_version

    on_commit(bump_ads_version)
    on_commit(replace_epoch)  # processes holding eligible sets in memory drop them


# --- ticker --------------------------------------------------------------------


def on_ticker_changed(sender, *, article_id: int, **kwargs) -> None:
    """An entry came, changed or went: the ticker page, its update endpoint and every
    list showing its LIVE teaser (all tagged ``"article:<id>"``), not the whole site: a
    busy ticker posts every few minutes. One query (``article_page_tags``).

    The cached ticker index goes first, so the pages re-render with the new entry.
    """
    from ticker.selectors import forget_ticker_index

    on_commit(forget_ticker_index)
    purge_pages(*article_page_tags(article_id, lists=False))


def on_breaking_news_changed(sender, **kwargs) -> None:
    """The banner was set or cleared: every page shows it."""
    from ticker.selectors import forget_breaking_news

    on_commit(forget_breaking_news)
    purge_pages("site")


# --- wiring --------------------------------------------------------------------


def _connect_saves_and_deletes(labels: tuple[str, ...], receiver, uid: str) -> None:
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:  # an optional app is not installed
            continue
        post_save.connect(receiver, sender=model, dispatch_uid=f"purge-{uid}-save-{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"purge-{uid}-delete-{label}")


def connect() -> None:
    """Connect every receiver above (idempotent: each has a ``dispatch_uid``)."""
    from ads.models import Campaign
    from ads.signals import ad_stats_flushed
    from articles.models import Article
    from articles.signals import article_changed, image_renditions_built
    from comments.signals import comment_section_changed

    article_changed.connect(on_article_changed, dispatch_uid="purge-article-changed")
    image_renditions_built.connect(
        on_image_renditions_built, dispatch_uid="purge-image-renditions-built"
    )
    _connect_saves_and_deletes(NAVIGATION_MODELS, on_navigation_changed, "navigation")
    _connect_saves_and_deletes(CONTENT_MODELS, on_content_changed, "content")
    for name, through in (("authors", Article.authors.through), ("tags", Article.tags.through)):
        m2m_changed.connect(
            on_article_relation_changed, sender=through, dispatch_uid=f"purge-article-{name}"
        )

    comment_section_changed.connect(
        on_comment_section_changed, dispatch_uid="purge-comment-section-changed"
    )
    _connect_saves_and_deletes(("comments.FeedbackPoint",), on_feedback_point_changed, "feedback")
    _connect_saves_and_deletes(
        ("comments.ModerationSettings",), on_moderation_settings_changed, "moderation"
    )
    _connect_saves_and_deletes(
        ("comments.ArticleDiscussion",), on_article_discussion_changed, "discussion"
    )

    _connect_saves_and_deletes(ADS_MODELS, on_ads_changed, "ads")
    for through in (
        Campaign.slots.through,
        Campaign.target_sections.through,
        Campaign.target_tags.through,
    ):
        m2m_changed.connect(
            on_ads_changed, sender=through, dispatch_uid=f"purge-ads-m2m-{through._meta.label}"
        )
    ad_stats_flushed.connect(on_ad_stats_flushed, dispatch_uid="purge-ad-stats-flushed")

    from ticker.signals import breaking_news_changed, ticker_changed

    ticker_changed.connect(on_ticker_changed, dispatch_uid="purge-ticker-changed")
    breaking_news_changed.connect(
        on_breaking_news_changed, dispatch_uid="purge-breaking-news-changed"
    )
