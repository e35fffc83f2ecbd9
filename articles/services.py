"""Every write to articles goes through these functions.

Each checks the actor's permission (``PermissionDenied``), runs in one
transaction, writes an audit entry and defers side effects (the
``article_changed`` signal, notification mails as background tasks) to
``transaction.on_commit``. The admin, admin actions and management commands
call these and never change ``status`` or ``version`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import revisions
from articles.models import (
    Agency,
    Article,
    ArticleAuthor,
    ArticleRevision,
    ArticleURL,
    Author,
    Image,
    RelatedArticle,
    RelatedLink,
    Section,
)
from articles.signals import article_changed
from articles.slugs import unique_slug
from core.actors import acting_user
from core.audit import audit_log
from core.sanitize import clean_body_html

User = AuthUser | AnonymousUser
Status = Article.Status


class WorkflowError(ValidationError):
    """A transition that is not possible from the article's current state."""


class EditConflict(ValidationError):
    """Someone else saved the article after the editor opened it."""

    def __init__(self, *, article: Article, changed_by: Any, expected_version: int):
        self.article = article
        self.changed_by = changed_by
        self.expected_version = expected_version
        self.current_version = article.version
        name = _display_name(changed_by) if changed_by else _("jemand anderes")
        super().__init__(
            _(
                "%(name)s hat den Artikel gespeichert, nachdem Sie ihn geöffnet haben "
                "(Version %(theirs)s, Sie bearbeiteten Version %(yours)s). Ihre Änderungen "
                "wurden nicht gespeichert, sind aber unten noch im Formular."
            ),
            code="edit_conflict",
            params={"name": name, "theirs": article.version, "yours": expected_version},
        )

    @property
    def diff_url(self) -> str:
        return (
            reverse("admin:articles_article_revision_compare", args=[self.article.pk])
            + f"?von={self.expected_version}&bis={self.current_version}"
        )


def _display_name(user: AuthUser | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# --- permission rules (also used by the admin to show buttons) ---------------


def is_own_article(user: User, article: Article) -> bool:
    if not user.is_authenticated:
        return False
    if article.created_by_id == user.pk:
        return True
    return bool(article.pk) and article.authorships.filter(author__user=user).exists()


def can_edit(user: User, article: Article) -> bool:
    """Editors edit everything; journalists only their own drafts."""
    if not (user.is_active and user.is_authenticated):
        return False
    if user.has_perm("articles.edit_any_article") and user.has_perm("articles.change_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and article.status == Status.DRAFT
        and is_own_article(user, article)
    )


def can_submit(user: User, article: Article) -> bool:
    return (
        article.status == Status.DRAFT
        and user.has_perm("articles.submit_article")
        and (user.has_perm("articles.edit_any_article") or is_own_article(user, article))
    )


TRANSITIONS: dict[str, tuple[set[str], str]] = {
    # action: (allowed from-states, permission)
    "submit": ({Status.DRAFT}, "articles.submit_article"),
    "publish": (
        {Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.UNPUBLISHED},
        "articles.publish_article",
    ),
    "unpublish": ({Status.PUBLISHED}, "articles.unpublish_article"),
    "archive": (
        {Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.UNPUBLISHED},
        "articles.archive_article",
    ),
    "send_back": ({Status.REVIEW}, "articles.reject_article"),
    # Whoever may archive may bring an article back (as a draft, to be reviewed again).
    "restore_from_archive": ({Status.ARCHIVED}, "articles.archive_article"),
}


def allowed_transitions(user: User, article: Article) -> list[str]:
    """The workflow actions ``user`` may take on ``article`` right now."""
    allowed = []
    for action, (from_states, perm) in TRANSITIONS.items():
        if article.status not in from_states:
            continue
        if action == "submit":
            if can_submit(user, article):
                allowed.append(action)
        elif user.has_perm(perm):
            allowed.append(action)
    return allowed


def _require(user: User, perm: str, message: str) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(message)


def _check_from_state(article: Article, action: str) -> None:
    from_states, _perm = TRANSITIONS[action]
    if article.status not in from_states:
        raise WorkflowError(
            _("„%(action)s“ ist im Status „%(status)s“ nicht möglich."),
            code="invalid_transition",
            params={"action": ACTION_LABELS[action], "status": article.get_status_display()},
        )


EMITTED_ACTIONS = {
    "submit": "submitted",
    "publish": "published",
    "unpublish": "unpublished",
    "archive": "archived",
    "send_back": "sent_back",
    "restore_from_archive": "restored_from_archive",
}

# Lazy: shown in the admin in each editor's language, not in the one of import time.
ACTION_LABELS = {
    "submit": gettext_lazy("Zur Prüfung einreichen"),
    "publish": gettext_lazy("Veröffentlichen"),
    "unpublish": gettext_lazy("Zurückziehen"),
    "archive": gettext_lazy("Archivieren"),
    "send_back": gettext_lazy("Zurückweisen"),
    "restore_from_archive": gettext_lazy("Aus dem Archiv zurückholen"),
}


# What the workflow owns: an edit never changes these, a transition reads them locked.
WORKFLOW_STATE_FIELDS = ("status", "go_live_at", "expires_at", "first_published_at")


def _lock(article: Article) -> Article:
    """Re-read ``article`` under a row lock; copies the workflow fields onto it."""
    current = Article.objects.select_for_update().get(pk=article.pk)
    for field in (*WORKFLOW_STATE_FIELDS, "version"):
        setattr(article, field, getattr(current, field))
    article.updated_by_id = current.updated_by_id
    return current


def _emit(article: Article, action: str, from_state: str, to_state: str) -> None:
    article_id = article.pk

    def send() -> None:
        article_changed.send(
            sender=Article,
            article_id=article_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
        )

    transaction.on_commit(send)


def _notify(
    article: Article,
    *,
    action: str,
    actor: User,
    note: str = "",
    go_live_at: datetime | None = None,
) -> None:
    from articles.tasks import send_workflow_notification

    article_id, actor_id = article.pk, getattr(actor, "pk", None)
    # The go-live time of this step, not whatever the article has when the mail goes out.
    go_live = go_live_at.isoformat() if go_live_at else None
    transaction.on_commit(
        lambda: send_workflow_notification.enqueue(
            article_id=article_id, action=action, actor_id=actor_id, note=note, go_live_at=go_live
        )
    )


# --- content -----------------------------------------------------------------


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
) -> None:
    """Sanitise, fill the slug, validate, save and write the relations (in the caller's transaction)."""
    _refuse_unstorable_text(article)
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
    adds the actor's author profile as byline when no author was given.
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
        if author_profile and not article.authorships.exists():
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
    instead. Stores a revision (full snapshot) and, when a published
    article's section or slug changes, remembers the old URL (``ArticleURL``)
    for the 301 redirect. Side effects: audit entry, ``article_changed``
    (on commit).
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
        )
        _remember_old_url(article, old_section_slug=current.section.slug, old_slug=current.slug)
        _store_revision(article, actor=actor, note=note)
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


# --- workflow ----------------------------------------------------------------


def article_submit(*, actor: User, article: Article, note: str = "") -> Article:
    """Draft → In review. Journalists (own drafts) and editors.

    Side effects: audit entry; on commit ``article_changed`` and a mail to the
    Chef vom Dienst group (background task).
    """
    with transaction.atomic():
        _lock(article)
        if not can_submit(actor, article):
            if article.status != Status.DRAFT:
                _check_from_state(article, "submit")
            raise PermissionDenied(_("Sie dürfen diesen Artikel nicht einreichen."))
        return _transition(article, actor=actor, action="submit", to=Status.REVIEW, note=note)


def article_publish(
    *,
    actor: User,
    article: Article,
    go_live_at: datetime | None = None,
    expires_at: datetime | None = None,
    note: str = "",
) -> Article:
    """Publish now (``go_live_at`` empty or past) or schedule (``go_live_at`` in the future).

    Editors only. Keeps the first publication date. Side effects: audit
    entry; on commit ``article_changed`` and a mail to the authors.
    """
    _require(actor, "articles.publish_article", _("Sie dürfen keine Artikel veröffentlichen."))
    now = timezone.now()
    go_live_at = go_live_at or now
    if expires_at is not None and expires_at <= go_live_at:
        raise ValidationError(
            _("Der Ablauf muss nach dem Veröffentlichungszeitpunkt liegen."), code="expiry"
        )
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "publish")
        article.go_live_at = go_live_at
        article.expires_at = expires_at
        if article.first_published_at is None:
            article.first_published_at = go_live_at
        scheduled = go_live_at > now
        return _transition(
            article,
            actor=actor,
            action="publish",
            to=Status.PUBLISHED,
            note=note,
            extra_fields=["go_live_at", "expires_at", "first_published_at"],
            data={"go_live_at": go_live_at.isoformat(), "scheduled": scheduled},
        )


def article_unpublish(*, actor: User, article: Article, note: str = "") -> Article:
    """Published → Unpublished (readers no longer see it). Editors only.

    Side effects: audit entry; on commit ``article_changed``.
    """
    _require(actor, "articles.unpublish_article", _("Sie dürfen keine Artikel zurückziehen."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "unpublish")
        return _transition(
            article, actor=actor, action="unpublish", to=Status.UNPUBLISHED, note=note
        )


def article_archive(*, actor: User, article: Article, note: str = "") -> Article:
    """Any state → Archived. Editors only. Side effects: audit entry; ``article_changed``."""
    _require(actor, "articles.archive_article", _("Sie dürfen keine Artikel archivieren."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "archive")
        return _transition(article, actor=actor, action="archive", to=Status.ARCHIVED, note=note)


def article_send_back(*, actor: User, article: Article, reason: str) -> Article:
    """In review → Draft with a required reason. Editors only.

    Side effects: audit entry with the reason; on commit ``article_changed``
    and a mail with the reason to the authors.
    """
    _require(actor, "articles.reject_article", _("Sie dürfen keine Artikel zurückweisen."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund an."), code="reason_required")
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "send_back")
        return _transition(article, actor=actor, action="send_back", to=Status.DRAFT, note=reason)


def article_restore_from_archive(*, actor: User, article: Article, note: str = "") -> Article:
    """Archived → Draft: the article comes back to the desk, not to readers.

    Whoever may archive (editors) may restore; publishing again takes the usual
    steps. Status only: content, revisions and the first publication date stay.
    Side effects: audit entry (with the note); on commit ``article_changed``
    (action ``restored_from_archive``).
    """
    _require(actor, "articles.archive_article", _("Sie dürfen keine Artikel aus dem Archiv holen."))
    with transaction.atomic():
        _lock(article)
        _check_from_state(article, "restore_from_archive")
        return _transition(
            article, actor=actor, action="restore_from_archive", to=Status.DRAFT, note=note
        )


class UnknownTransition(ValueError):
    """``article_transition`` was asked for an action that is not a workflow step."""

    def __init__(self, action: str):
        super().__init__(
            f"Unknown workflow action {action!r}; expected one of {', '.join(TRANSITIONS)}."
        )
        self.action = action


def article_transition(
    *, actor: User, article: Article, action: str, data: Mapping[str, Any] | None = None
) -> Article:
    """Run the workflow step ``action`` (a key of ``TRANSITIONS``) on ``article``.

    One entry point for every caller that names a step by its action (the change
    form's workflow panel, the confirmation page, the bulk actions): it dispatches
    to the step's service (``article_submit``, ``article_publish``,
    ``article_unpublish``, ``article_archive``, ``article_send_back``,
    ``article_restore_from_archive``), which checks the permission and the from-state
    and has the side effects named there (audit entry; on commit ``article_changed``
    and, for some steps, a mail). ``data`` holds the step form's values: ``note``
    (the reason for ``send_back``), and for ``publish`` ``go_live_at`` and
    ``expires_at``. Raises ``UnknownTransition`` for any other action (the admin
    answers 404), ``PermissionDenied`` or ``ValidationError`` from the service.
    """
    data = data or {}
    note = data.get("note", "") or ""
    if action == "submit":
        return article_submit(actor=actor, article=article, note=note)
    if action == "publish":
        return article_publish(
            actor=actor,
            article=article,
            go_live_at=data.get("go_live_at"),
            expires_at=data.get("expires_at"),
            note=note,
        )
    if action == "unpublish":
        return article_unpublish(actor=actor, article=article, note=note)
    if action == "archive":
        return article_archive(actor=actor, article=article, note=note)
    if action == "send_back":
        return article_send_back(actor=actor, article=article, reason=note)
    if action == "restore_from_archive":
        return article_restore_from_archive(actor=actor, article=article, note=note)
    raise UnknownTransition(action)


def _transition(
    article: Article,
    *,
    actor: User,
    action: str,
    to: str,
    note: str,
    extra_fields: list[str] | None = None,
    data: dict | None = None,
) -> Article:
    from_state = article.status
    article.status = to
    # update_fields: a transition never writes content an editor may be editing.
    Article.objects.filter(pk=article.pk).update(
        status=to,
        updated_at=timezone.now(),
        **{field: getattr(article, field) for field in extra_fields or []},
    )
    audit_log(
        actor=actor,
        target=article,
        action=f"article.{action}",
        from_state=from_state,
        to_state=to,
        note=note,
        data=data,
    )
    _emit(article, EMITTED_ACTIONS[action], from_state, to)
    if action in {"submit", "publish", "send_back"}:
        _notify(
            article,
            action=action,
            actor=actor,
            note=note,
            go_live_at=article.go_live_at if action == "publish" else None,
        )
    return article


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
    for field, model in (("section", Section), ("agency", Agency), ("teaser_image", Image)):
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


# --- images ------------------------------------------------------------------


def image_save(*, actor: User, image: Image, file_changed: bool) -> Image:
    """Save an image's metadata (the file is already validated by ``articles.images``).

    When the file or the focal point changed, the stored renditions are
    deleted and rebuilt by a background task (on commit). Side effect: audit entry.
    """
    perm = "articles.change_image" if image.pk else "articles.add_image"
    _require(actor, perm, _("Sie dürfen keine Bilder bearbeiten."))
    from articles.tasks import build_image_renditions

    with transaction.atomic():
        created = image.pk is None
        focus_changed = False
        if not created:
            before = Image.objects.only("focal_x", "focal_y").get(pk=image.pk)
            focus_changed = (before.focal_x, before.focal_y) != (image.focal_x, image.focal_y)
        if created and actor.is_authenticated:
            image.uploaded_by = actor
        image.full_clean()
        image.save()
        rebuild = created or file_changed or focus_changed
        if rebuild and not created:
            for rendition in image.renditions.all():
                rendition.file.delete(save=False)
                rendition.delete()
        audit_log(actor=actor, target=image, action="image.create" if created else "image.update")
        if rebuild:
            image_id = image.pk
            transaction.on_commit(lambda: build_image_renditions.enqueue(image_id=image_id))
    return image
