"""Every write to articles goes through these functions.

Each checks the actor's permission (``PermissionDenied``), runs in one
transaction, writes an audit entry and defers side effects (the
``article_changed`` signal, notification mails as background tasks) to
``transaction.on_commit``. The admin, admin actions and management commands
call these and never change ``status`` or ``version`` themselves.

Since issue 14 a package by sub-domain (STYLE: past ~400 lines): ``base`` (actor type,
errors, lock, signal), ``permissions``, ``editing`` (content and revisions), ``workflow``
(the steps and ``article_transition``), ``images``, ``bulk`` (the change list's
bulk actions). Callers keep importing from
``articles.services``; new sub-domains add a module and a line below
(``preview_links``: shareable preview links).
"""

from django.core.exceptions import PermissionDenied, ValidationError

from articles.services.base import (
    WORKFLOW_STATE_FIELDS,
    EditConflict,
    Status,
    User,
    WorkflowError,
)
from articles.services.bulk import (
    BulkReport,
    article_add_tag,
    article_move_to_section,
    article_schedule,
    bulk_apply,
)
from articles.services.editing import article_create, article_update, revision_restore
from articles.services.images import image_save
from articles.services.permissions import (
    TRANSITIONS,
    allowed_transitions,
    can_edit,
    can_submit,
    is_own_article,
)
from articles.services.preview_links import (
    can_share_preview,
    preview_link_create,
    preview_link_path,
    preview_link_resolve,
    preview_link_revoke,
)
from articles.services.search_words import search_words_add, search_words_rebuild
from articles.services.workflow import (
    ACTION_LABELS,
    EMITTED_ACTIONS,
    UnknownTransition,
    article_archive,
    article_publish,
    article_reschedule,
    article_restore_from_archive,
    article_send_back,
    article_submit,
    article_transition,
    article_unpublish,
)

__all__ = [
    "ACTION_LABELS",
    "BulkReport",
    "article_add_tag",
    "article_move_to_section",
    "article_schedule",
    "bulk_apply",
    "EMITTED_ACTIONS",
    "TRANSITIONS",
    "WORKFLOW_STATE_FIELDS",
    "EditConflict",
    "PermissionDenied",
    "Status",
    "UnknownTransition",
    "User",
    "ValidationError",
    "WorkflowError",
    "allowed_transitions",
    "article_archive",
    "article_create",
    "article_publish",
    "article_reschedule",
    "article_restore_from_archive",
    "article_send_back",
    "article_submit",
    "article_transition",
    "article_unpublish",
    "article_update",
    "can_edit",
    "can_share_preview",
    "can_submit",
    "image_save",
    "is_own_article",
    "preview_link_create",
    "preview_link_path",
    "preview_link_resolve",
    "preview_link_revoke",
    "revision_restore",
    "search_words_add",
    "search_words_rebuild",
]
