"""Who may do what to an article (also used by the admin to show buttons). Reads only."""

from __future__ import annotations

from articles.models import Article
from articles.services.base import Status, User


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
