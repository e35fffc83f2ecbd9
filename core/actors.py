"""Who acts: the one answer to "the signed-in user, or None"."""

from __future__ import annotations

from typing import Any


def acting_user(actor: Any) -> Any | None:
    """``actor`` when it is a signed-in user, else None.

    Accepts ``request.user`` (``AnonymousUser`` gives None), a user, or None, so
    services and views store "nobody" the same way (foreign keys such as
    ``moderated_by``, audit entries). No side effects.
    """
    return actor if getattr(actor, "is_authenticated", False) else None
