"""The comments app in the Django admin, one module per kind of page.

- ``desk``: the moderation desk (comments, reports, DSA notices and records)
- ``corrections``: the editors' queue of readers' error reports
- ``feedback``: feedback points, and the inline for the article admin
- ``settings``: moderation settings, bans, trusted addresses
- ``delivery``: subscriptions and notification deliveries

Importing the package registers every model admin with ``admin.site``.
"""

from comments.admin import corrections, delivery, desk, feedback, settings

__all__ = ["corrections", "delivery", "desk", "feedback", "settings"]
