"""Content writes: create, update (with the edit-conflict check), restore a revision.

Each runs in one transaction, stores a revision, writes an audit entry and sends
``article_changed`` on commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from articles import revisions
from articles.models import (
    Agency,
    Article,
    ArticleAuthor,
    ArticleAutosave,
    ArticleRevision,
    ArticleURL,
    Author,
    Image,
    RelatedArticle,
    RelatedLink,
    Section,
)
from articles.services.base import (
    WORKFLOW_STATE_FIELDS,
    EditConflict,
    Status,
    User,
    _emit,
    _require,
)
from articles.services.permissions import can_edit
from articles.slugs import unique_slug
from core.actors import acting_user
from core.audit import audit_log
from core.richtext import same_html
from core.sanitize import clean_body_html


def _apply_relations(
    article: Article,
    *,
    authors: Iterable[Author] | None,
    tags: Iterable[str] | None,
    related: Iterable[Article] | None,
    links: Iterable[tuple[str, str]] | None,
) -> None:
    if authors is not None:
        article.authorships.all().delete()
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author=author, position=position)
            for position, author in enumerate(authors)
        )
    if tags is not None:
        article.tags.set(list(tags), clear=True)
    if related is not None:
        article.related_items.all().delete()
        RelatedArticle.objects.bulk_create(
            RelatedArticle(article=article, related=other, position=position)
            for position, other in enumerate(related)
            if other.pk != article.pk
        )
    if links is not None:
        article.related_links.all().delete()
        RelatedLink.objects.bulk_create(
            RelatedLink(article=article, title=title, url=url, position=position)
            for position, (title, url) in enumerate(links)
        )


def _store_revision(article: Article, *, actor: User, note: str = "") -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        number=article.version,
        created_by=acting_user(actor),
        snapshot=revisions.take_snapshot(article),
        note=note[:200],
    )


def _refuse_unstorable_text(article: Article) -> None:
    """A clear error for text PostgreSQL cannot store (NUL) and for a blank headline.

    The admin form refuses both itself; this covers every other caller, which
    otherwise got a database error (a 500) for a NUL byte and stored a headline of
    only spaces.
    """
    errors = {}
    for field in article._meta.concrete_fields:
        value = getattr(article, field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            errors[field.name] = _("Der Text enthält ein Nullzeichen; bitte entfernen.")
    if not errors.get("headline") and not (article.headline or "").strip():
        errors["headline"] = _("Bitte eine Überschrift angeben.")
    if errors:
        raise ValidationError(errors)


def _persist(
    article: Article,
    *,
    authors: Iterable[Author] | None,
    tags: Iterable[str] | None,
    related: Iterable[Article] | None,
    links: Iterable[tuple[str, str]] | None,
    save_related: Callable[[Article], None] | None,
    stored_body: str | None = None,
) -> None:
    """Sanitise, fill the slug, validate, save and write the relations (in the caller's transaction).

    A body that means what ``stored_body`` means (CKEditor's serialisation of it) is
    stored as it was, byte for byte.
    """
    _refuse_unstorable_text(article)
    if stored_body is not None and same_html(article.body, stored_body):
        article.body = stored_body
    else:
        article.body = clean_body_html(article.body)
    if not article.slug:
        article.slug = unique_slug(
            article.headline, queryset=Article.objects.all(), exclude_pk=article.pk
        )
    article.full_clean(exclude=["authors", "tags"])
    article.save()
    _apply_relations(article, authors=authors, tags=tags, related=related, links=links)
    if save_related:
        save_related(article)


def article_create(
    *,
    actor: User,
    article: Article | None = None,
    authors: Iterable[Author] | None = None,
    tags: Iterable[str] | None = None,
    related: Iterable[Article] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
    save_related: Callable[[Article], None] | None = None,
    **fields: Any,
) -> Article:
    """Create a draft (from ``fields`` or an unsaved ``article``) and its first revision.

    Sanitises the body, fills a German slug from the headline when empty and
    adds the actor's author profile as byline when no author was given --
    except on sponsored content (ads carry no editorial byline, § 22 MStV).
    ``save_related(article)`` lets the admin save its inlines inside the same
    transaction, before the revision is taken. Side effects: audit entry,
    ``article_changed`` (on commit).
    """
    _require(actor, "articles.add_article", _("Sie dürfen keine Artikel anlegen."))
    assert actor.is_authenticated  # _require() let only a signed-in user through (narrows the type)
    article = article or Article(**fields)
    if article.pk:
        raise ValueError("article_create() needs an unsaved article")
    with transaction.atomic():
        article.status = Status.DRAFT
        article.version = 1
        article.created_by = actor
        article.updated_by = actor
        _persist(
            article,
            authors=authors,
            tags=tags,
            related=related,
            links=links,
            save_related=save_related,
        )
        author_profile = Author.objects.filter(user=actor).first()
        if author_profile and not article.is_sponsored and not article.authorships.exists():
            ArticleAuthor.objects.create(article=article, author=author_profile, position=0)
        _store_revision(article, actor=actor, note=_("Angelegt"))
        audit_log(actor=actor, target=article, action="article.create", to_state=article.status)
        _emit(article, "created", "", article.status)
    return article


def article_update(
    *,
    actor: User,
    article: Article,
    expected_version: int | None,
    changes: Mapping[str, Any] | None = None,
    authors: Iterable[Author] | None = None,
    tags: Iterable[str] | None = None,
    related: Iterable[Article] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
    save_related: Callable[[Article], None] | None = None,
    note: str = "",
    action: str = "updated",
) -> Article:
    """Save edited content: checks for an edit conflict, sanitises, bumps the version.

    ``expected_version`` is the version the editor opened; if someone saved
    since, ``EditConflict`` names them and nothing is written. ``changes`` are
    field values to set; the admin passes an already changed ``article``
    instead. A body that differs from the stored one only in serialisation
    (``core.richtext.same_html``) keeps the stored text. Stores a revision
    (full snapshot) and, when a published article's section or slug changes,
    remembers the old URL (``ArticleURL``) for the 301 redirect. Deletes the
    actor's autosave of the article. Side effects: audit entry,
    ``article_changed`` (on commit).
    """
    if not can_edit(actor, article):
        raise PermissionDenied(_("Sie dürfen diesen Artikel nicht bearbeiten."))
    assert actor.is_authenticated  # can_edit() is False for anonymous users (narrows the type)
    with transaction.atomic():
        current = Article.objects.select_for_update().select_related("section").get(pk=article.pk)
        if expected_version is not None and current.version != expected_version:
            changed_by = current.updated_by
            raise EditConflict(
                article=current, changed_by=changed_by, expected_version=expected_version
            )
        if not can_edit(actor, current):
            raise PermissionDenied(_("Sie dürfen diesen Artikel nicht bearbeiten."))
        for field in WORKFLOW_STATE_FIELDS:  # an edit never changes them
            setattr(article, field, getattr(current, field))
        for field, value in (changes or {}).items():
            setattr(article, field, value)
        article.version = current.version + 1
        article.updated_by = actor
        _persist(
            article,
            authors=authors,
            tags=tags,
            related=related,
            links=links,
            save_related=save_related,
            stored_body=current.body,
        )
        _remember_old_url(article, old_section_slug=current.section.slug, old_slug=current.slug)
        _store_revision(article, actor=actor, note=note)
        # What the editor had autosaved is now saved (or replaced by a restore).
        ArticleAutosave.objects.filter(article=article, user=actor).delete()
        audit_log(
            actor=actor,
            target=article,
            action="article.update" if action == "updated" else f"article.{action}",
            from_state=current.status,
            to_state=article.status,
            note=note,
            data={"version": article.version},
        )
        _emit(article, action, current.status, article.status)
    return article


def _remember_old_url(article: Article, *, old_section_slug: str, old_slug: str) -> None:
    new_section_slug = Section.objects.values_list("slug", flat=True).get(pk=article.section_id)
    if (old_section_slug, old_slug) == (new_section_slug, article.slug):
        return
    # The current URL must never redirect (an article moved back and forth).
    ArticleURL.objects.filter(section_slug=new_section_slug, slug=article.slug).delete()
    if article.first_published_at is None:
        return  # never public: nobody links to the old URL
    ArticleURL.objects.update_or_create(
        section_slug=old_section_slug, slug=old_slug, defaults={"article": article}
    )


def revision_restore(
    *, actor: User, revision: ArticleRevision, expected_version: int | None = None
) -> Article:
    """Restore the content of an old revision as a new revision (history is kept).

    Status and publication dates stay as they are. Same permission as editing.
    Side effects: audit entry, ``article_changed`` (on commit).
    """
    article = revision.article
    snapshot = revision.snapshot
    changes: dict[str, Any] = {
        field: snapshot[field] for field in revisions.CONTENT_FIELDS if field in snapshot
    }
    foreign_keys: tuple[tuple[str, Any], ...] = (  # model classes: each has .objects
        ("section", Section),
        ("agency", Agency),
        ("teaser_image", Image),
        ("translation_of", Article),
    )
    for field, model in foreign_keys:
        value = snapshot.get(field)
        target = model.objects.filter(pk=value["id"]).first() if value else None
        if field == "section" and target is None:
            target = article.section  # a deleted section cannot come back
        changes[field] = target
    authors_by_id = Author.objects.in_bulk([a["id"] for a in snapshot.get("authors", [])])
    related_by_id = Article.objects.in_bulk([r["id"] for r in snapshot.get("related_articles", [])])
    return article_update(
        actor=actor,
        article=article,
        expected_version=expected_version,
        changes=changes,
        authors=[
            authors_by_id[a["id"]] for a in snapshot.get("authors", []) if a["id"] in authors_by_id
        ],
        tags=snapshot.get("tags", []),
        related=[
            related_by_id[r["id"]]
            for r in snapshot.get("related_articles", [])
            if r["id"] in related_by_id
        ],
        links=[(link["title"], link["url"]) for link in snapshot.get("related_links", [])],
        note=_("Wiederhergestellt aus Version %(number)s") % {"number": revision.number},
        action="restored",
    )
