"""The people of the journeys: staff accounts in the newsroom's role groups."""

from __future__ import annotations

from django.contrib.auth.models import Group

from tests.factories import UserFactory


def staff_member(username: str, group: str, **extra):
    """A staff account in one role group (groups come from the roles migration)."""
    user = UserFactory(username=username, is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=group))
    return user
