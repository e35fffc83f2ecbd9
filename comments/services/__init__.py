"""State changes of the comments app, one module per sub-domain.

Every function takes keyword-only arguments, runs in one transaction, writes
an audit entry for moderation actions and does its side effects (mails,
notification tasks, the ``comment_section_changed`` signal for cache purges)
in ``transaction.on_commit``. Views, admin actions and commands call these;
they never change comments themselves.

- ``posting``: a reader's comment (``comment_submit``, ``comment_post``)
- ``moderation``: approve, reject, spam, pin, readers' reports
- ``bans``: banned addresses and IP networks, trusted addresses
- ``configuration``: the site-wide moderation settings
- ``subscriptions``: double opt-in, confirmation, unsubscribe
- ``corrections``: readers' error reports turned into published corrections
- ``desk``: moderator notes, undoing one's own decision
- ``notices``: DSA notices, decisions with statements of reasons, reviews
- ``privacy``: manage-my-data, deleting an address's data, IP retention

The moderation mode and the automatic checks are decisions, not writes: they
live in ``comments.policy`` (re-exported here where callers raise or catch them).
This package's public API is ``__all__`` below: callers write
``from comments import services; services.comment_post(...)``.
"""

from comments.policy import (
    RESUBMIT_WINDOW,
    CommentsClosed,
    RateLimited,
    comments_open,
    effective_mode,
)
from comments.services.bans import (
    ban_address,
    ban_ip,
    ban_lift,
    ban_reason_update,
    trusted_address_remove,
    trusted_address_save,
)
from comments.services.configuration import article_discussion_set, moderation_settings_update
from comments.services.corrections import (
    error_report_correct,
    error_report_dismiss,
    error_report_submit,
)
from comments.services.desk import decision_undo, note_add
from comments.services.moderation import (
    comment_approve,
    comment_mark_spam,
    comment_pin,
    comment_reject,
    comment_report,
)
from comments.services.notices import (
    decision_record,
    notice_review_notice,
    notice_review_request,
    notice_submit,
    review_decision,
    review_request,
    review_url,
    second_moderator_check,
)
from comments.services.posting import (
    PostResult,
    SubscriptionOutcome,
    comment_post,
    comment_submit,
)
from comments.services.privacy import (
    address_comments_delete,
    manage_link_request,
    purge_comment_ips,
    subscription_remove,
)
from comments.services.subscriptions import (
    MAIL_DELAYED_MESSAGE,
    InvalidToken,
    confirmation_pending,
    resend_pending_confirmations,
    subscription_confirm,
    subscription_request,
    unsubscribe,
)

__all__ = [
    "MAIL_DELAYED_MESSAGE",
    "RESUBMIT_WINDOW",
    "CommentsClosed",
    "InvalidToken",
    "PostResult",
    "RateLimited",
    "SubscriptionOutcome",
    "address_comments_delete",
    "article_discussion_set",
    "ban_address",
    "ban_ip",
    "ban_lift",
    "ban_reason_update",
    "comment_approve",
    "comment_mark_spam",
    "comment_pin",
    "comment_post",
    "comment_reject",
    "comment_report",
    "comment_submit",
    "comments_open",
    "confirmation_pending",
    "decision_record",
    "decision_undo",
    "effective_mode",
    "error_report_correct",
    "error_report_dismiss",
    "error_report_submit",
    "manage_link_request",
    "moderation_settings_update",
    "note_add",
    "notice_review_notice",
    "notice_review_request",
    "notice_submit",
    "purge_comment_ips",
    "resend_pending_confirmations",
    "review_decision",
    "review_request",
    "review_url",
    "second_moderator_check",
    "subscription_confirm",
    "subscription_remove",
    "subscription_request",
    "trusted_address_remove",
    "trusted_address_save",
    "unsubscribe",
]
