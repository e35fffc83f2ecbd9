"""One answer to "the signed-in user, or None"."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.actors import acting_user
from core.audit import audit_log
from tests.factories import UserFactory


def test_an_anonymous_visitor_or_nobody_is_no_acting_user():
    assert acting_user(AnonymousUser()) is None
    assert acting_user(None) is None


@pytest.mark.django_db
def test_a_signed_in_user_is_the_acting_user():
    user = UserFactory()
    assert acting_user(user) is user


@pytest.mark.django_db
def test_an_audit_entry_by_an_anonymous_visitor_names_nobody():
    user = UserFactory()
    assert audit_log(actor=AnonymousUser(), target=user, action="test").actor is None
    assert audit_log(actor=user, target=user, action="test").actor == user
