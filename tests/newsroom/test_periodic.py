"""``make run`` runs the periodic jobs like production's timers do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from comments.models import NotificationDelivery, Subscription
from newsroom import devserver, periodic
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_dev_server_starts_the_periodic_jobs_next_to_web_server_and_worker():
    commands = [" ".join(c) for c in devserver.child_commands(host="127.0.0.1", port="8000")]
    assert any("-m newsroom.periodic --interval 60" in c for c in commands)
    # The reconnecting worker (newsroom/management/commands/task_worker.py), not db_worker.
    assert any("manage.py task_worker" in c for c in commands)
    assert any("runserver 127.0.0.1:8000" in c for c in commands)


def test_every_documented_job_runs_and_a_failed_mail_goes_out(settings):
    from comments.models import Comment

    article = ArticleFactory(published=True)
    subscription = Subscription.objects.create(
        article=article, email="abo@example.org", kind="all", confirmed_at=timezone.now()
    )
    comment = Comment.objects.create(
        article=article, name="Erika", email="erika@example.org", text="Hallo", status="approved"
    )
    NotificationDelivery.objects.create(
        comment=comment,
        subscription=subscription,
        email="abo@example.org",
        status=NotificationDelivery.Status.FAILED,
        next_attempt_at=timezone.now() - timedelta(minutes=1),
    )
    assert periodic.run_once() == {command: "ok" for command, _ in periodic.JOBS}
    assert [m.to for m in mail.outbox] == [["abo@example.org"]]
    documented = (settings.BASE_DIR / "docs" / "deployment.md").read_text(encoding="utf-8")
    for command, interval in periodic.JOBS:
        assert f"| `manage.py {command}` | {interval} |" in documented


def test_one_failing_job_does_not_stop_the_others(monkeypatch):
    ran = []

    def fake(command, **kwargs):
        ran.append(command)
        if command == "recover_tasks":
            raise RuntimeError("Datenbank weg")

    monkeypatch.setattr("django.core.management.call_command", fake)
    results = periodic.run_once()
    assert ran == [command for command, _ in periodic.JOBS]
    assert results["recover_tasks"].startswith("RuntimeError")
    assert results["flush_ad_counts"] == "ok"
    assert call_command  # the real one is untouched outside this test
