"""Side effects shared by the posting and moderation services (all on commit)."""

from __future__ import annotations

from django.db import transaction

from comments.models import Comment
from comments.signals import comment_published, comment_section_changed


def after_public(comment: Comment, *, first_time: bool) -> None:
    """On commit: tell cache purgers, and on first publication notify subscribers.

    The notification task is queued only for a comment whose fan-out is still to do
    (``notified_at`` empty): one posted where nobody is subscribed is stored as
    notified (``posting._build_comment``) and costs no task.

    The comment is stored when these run, so a failure here (the database gone right
    after the commit, a cache server down) must not turn the stored comment into an
    error page: each step is ``robust`` (logged, the next one still runs). A lost
    notification task is made good by ``sweep_missed_notifications``, which finds
    approved comments without ``notified_at``.
    """

    def purge() -> None:
        comment_section_changed.send(sender=Comment, article_id=comment.article_id)

    def announce() -> None:
        comment_published.send(sender=Comment, comment=comment)

    def enqueue() -> None:
        from comments.notifications import notify_subscribers

        notify_subscribers.enqueue(comment_id=comment.pk)

    transaction.on_commit(purge, robust=True)
    if first_time:
        transaction.on_commit(announce, robust=True)
        if comment.notified_at is None:
            transaction.on_commit(enqueue, robust=True)


def section_changed(article_id: int) -> None:
    """On commit: the ``comment_section_changed`` signal (the article's pages are stale)."""
    transaction.on_commit(
        lambda: comment_section_changed.send(sender=Comment, article_id=article_id)
    )
