from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _add_article_admin_inlines() -> None:
    """Feedback points inline in the article admin, through its extension point."""
    from articles.extensions import ARTICLE_ADMIN_INLINES
    from comments.admin.feedback import FeedbackPointInline

    if FeedbackPointInline not in ARTICLE_ADMIN_INLINES:
        ARTICLE_ADMIN_INLINES.append(FeedbackPointInline)


class CommentsConfig(AppConfig):
    """Cache purges for what this app changes (comment sections, feedback points,
    the cached settings row) are wired in ``newsroom.purges``."""

    name = "comments"
    verbose_name = _("Kommentare")

    def ready(self) -> None:
        _add_article_admin_inlines()
