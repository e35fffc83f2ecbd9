"""The people of the journeys: staff accounts in the newsroom's role groups.

``staff_member`` is the one helper every test uses for role users (tests/factories.py).
"""

from __future__ import annotations

from tests.factories import staff_member

__all__ = ["staff_member"]
