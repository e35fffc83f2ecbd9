"""Signals of the comments app, sent after the transaction commits.

- ``comment_published(sender=Comment, comment=...)``: a comment became visible to
  readers for the first time (after automatic or manual approval).
- ``comment_section_changed(sender=Comment, article_id=...)``: what the article
  page shows in its comment section changed (a comment appeared, disappeared, was
  pinned or removed). Whoever caches article pages connects a receiver that purges
  the cached page of that article; the comments app itself caches nothing.
"""

from django.dispatch import Signal

comment_published = Signal()
comment_section_changed = Signal()
