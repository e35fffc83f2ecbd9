"""Two people saving the same article at the same moment: exactly one wins, the
other gets the edit-conflict error; nothing is overwritten silently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from articles import services
from articles.models import Article
from newsroom.roles import EDITOR
from tests.factories import ArticleFactory, staff_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_saves_of_one_version_let_exactly_one_win():
    from newsroom.roles import sync_roles

    sync_roles()  # an earlier transactional test may have flushed the migration's groups
    editors = []
    for name in ("anna", "bernd"):
        editors.append(staff_member(name, EDITOR))
    article = ArticleFactory(version=1, body="<p>Ursprung.</p>")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(user):
        try:
            mine = Article.objects.get(pk=article.pk)
            barrier.wait(timeout=10)
            services.article_update(
                actor=user,
                article=mine,
                expected_version=1,
                changes={"body": f"<p>Fassung von {user.username}.</p>"},
            )
            outcomes[user.username] = "saved"
        except services.EditConflict as conflict:
            outcomes[user.username] = f"conflict: {' '.join(conflict.messages)}"
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user,)) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "saved"]
    (winner,) = [name for name, o in outcomes.items() if o == "saved"]
    (loser,) = [name for name, o in outcomes.items() if o != "saved"]
    article.refresh_from_db()
    assert article.version == 2
    assert f"Fassung von {winner}." in article.body
    assert winner in outcomes[loser]  # the refusal names who changed it
    assert article.revisions.count() == 1  # one revision: the winner's
