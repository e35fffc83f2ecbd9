from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _purge_article_page(sender, article_id, **kwargs):
    """A comment appeared or disappeared: the article's cached pages are stale."""
    from core.pagecache import invalidate

    invalidate(f"article:{article_id}")


def _feedback_point_changed(sender, instance, **kwargs):
    """Feedback points are shown on the article page: edits make it stale."""
    _purge_article_page(sender, article_id=instance.article_id)


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Kommentare")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from comments.models import FeedbackPoint, ModerationSettings
        from comments.signals import comment_section_changed

        comment_section_changed.connect(_purge_article_page, dispatch_uid="comments_purge_page")
        # The settings row is cached; a change must be seen at once.
        for signal in (post_save, post_delete):
            signal.connect(
                ModerationSettings.forget_cached,
                sender=ModerationSettings,
                dispatch_uid=f"comments_settings_{signal is post_save}",
            )
            signal.connect(
                _feedback_point_changed,
                sender=FeedbackPoint,
                dispatch_uid=f"comments_feedback_point_{signal is post_save}",
            )
