"""Users per role (the groups come from the migration) and article helpers."""

import pytest
from django.contrib.auth.models import Group

from newsroom import roles
from tests.factories import AuthorFactory, SectionFactory, UserFactory


def _member(username: str, group: str | None, **extra):
    user = UserFactory(username=username, is_staff=True, **extra)
    user.save()  # the factory sets the password without saving it
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def journalist(db):
    user = _member("redakteurin", roles.JOURNALIST, first_name="Jana", last_name="Redlich")
    AuthorFactory(name="Jana Redlich", slug="jana-redlich", user=user)
    return user


@pytest.fixture
def other_journalist(db):
    user = _member("redakteur2", roles.JOURNALIST)
    AuthorFactory(name="Kai Kollege", slug="kai-kollege", user=user)
    return user


@pytest.fixture
def editor(db):
    return _member("cvd", roles.EDITOR, first_name="Carla", last_name="Vogt")


@pytest.fixture
def moderator(db):
    return _member("moderation", roles.MODERATOR)


@pytest.fixture
def ad_manager(db):
    return _member("anzeigen", roles.AD_MANAGER)


@pytest.fixture
def superuser(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    user.save()
    return user


@pytest.fixture
def section(db):
    return SectionFactory(name="Politik", slug="politik")


@pytest.fixture
def role_users(journalist, editor, moderator, ad_manager):
    return {
        "journalist": journalist,
        "editor": editor,
        "moderator": moderator,
        "ad_manager": ad_manager,
    }
