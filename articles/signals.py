"""Signals other apps hook into (e.g. cache purges of reader pages).

Sent by ``articles.services`` only after the transaction committed.
"""

from django.dispatch import Signal

# kwargs: article_id, action ("created", "updated", "submitted", "published",
# "unpublished", "archived", "sent_back", "restored", "restored_from_archive",
# "rescheduled"),
# from_state, to_state.
article_changed = Signal()

# kwargs: image_id. Renditions were (re)built or removed; sent by
# ``articles.images.build_renditions`` after the rows are committed.
image_renditions_built = Signal()

# kwargs: link_id, article_id, action ("created", "revoked"). A shareable preview link
# was made or withdrawn; sent by ``articles.services.preview_links`` after commit. No
# reader page changes (nothing to purge); for hooks such as notifications.
preview_link_changed = Signal()
