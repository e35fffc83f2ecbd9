"""Who may move an article from which state to which, and what each step records."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article
from core.models import AuditEntry
from tests.factories import ArticleFactory
from tests.support.mailcheck import assert_sendable

S = Article.Status

# (action, from-state, role) -> allowed?
ROLES = ["journalist", "editor", "moderator", "ad_manager"]
ONLY_EDITOR = {"journalist": False, "editor": True, "moderator": False, "ad_manager": False}
MATRIX = [
    (
        "submit",
        S.DRAFT,
        {"journalist": True, "editor": True, "moderator": False, "ad_manager": False},
    ),
    ("publish", S.DRAFT, ONLY_EDITOR),
    ("publish", S.REVIEW, ONLY_EDITOR),
    ("schedule", S.REVIEW, ONLY_EDITOR),
    ("unpublish", S.PUBLISHED, ONLY_EDITOR),
    ("archive", S.PUBLISHED, ONLY_EDITOR),
    ("archive", S.DRAFT, ONLY_EDITOR),
    ("send_back", S.REVIEW, ONLY_EDITOR),
    ("restore_from_archive", S.ARCHIVED, ONLY_EDITOR),
    (
        "restore",
        S.DRAFT,
        {"journalist": True, "editor": True, "moderator": False, "ad_manager": False},
    ),
]


def _run(action, user, article):
    if action == "submit":
        return services.article_submit(actor=user, article=article)
    if action == "publish":
        return services.article_publish(actor=user, article=article)
    if action == "schedule":
        return services.article_publish(
            actor=user, article=article, go_live_at=timezone.now() + timedelta(hours=3)
        )
    if action == "unpublish":
        return services.article_unpublish(actor=user, article=article)
    if action == "archive":
        return services.article_archive(actor=user, article=article)
    if action == "send_back":
        return services.article_send_back(actor=user, article=article, reason="Quelle fehlt")
    if action == "restore_from_archive":
        return services.article_restore_from_archive(actor=user, article=article)
    if action == "restore":
        return services.revision_restore(actor=user, revision=article.revisions.get())
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "from_state", "expected"), MATRIX)
@pytest.mark.parametrize("role", ROLES)
def test_every_transition_is_allowed_only_for_the_right_role(
    role_users, section, action, from_state, expected, role
):
    user = role_users[role]
    article = services.article_create(
        actor=role_users["editor"],
        headline="Stadtrat beschließt neuen Haushalt",
        lead="Der Haushalt steht.",
        section=section,
    )
    # The journalist's "own" article: they are its creator.
    Article.objects.filter(pk=article.pk).update(
        created_by=role_users["journalist"], status=from_state
    )
    article.refresh_from_db()
    if expected[role]:
        _run(action, user, article)
        assert AuditEntry.objects.filter(object_id=str(article.pk), actor=user).exists()
    else:
        with pytest.raises(PermissionDenied):
            _run(action, user, article)
        article.refresh_from_db()
        assert article.status == from_state


@pytest.mark.django_db
def test_journalist_cannot_edit_or_submit_someone_elses_draft(
    journalist, other_journalist, section
):
    article = services.article_create(
        actor=other_journalist, headline="Fremder Entwurf", lead="x", section=section
    )
    with pytest.raises(PermissionDenied):
        services.article_update(
            actor=journalist, article=article, expected_version=1, changes={"headline": "Neu"}
        )
    with pytest.raises(PermissionDenied):
        services.article_submit(actor=journalist, article=article)


@pytest.mark.django_db
def test_journalist_cannot_edit_own_article_once_submitted(journalist, section):
    article = services.article_create(
        actor=journalist, headline="Mein Text", lead="x", section=section
    )
    services.article_submit(actor=journalist, article=article)
    with pytest.raises(PermissionDenied):
        services.article_update(
            actor=journalist, article=article, expected_version=1, changes={"lead": "anders"}
        )


@pytest.mark.django_db
def test_full_workflow_records_audit_entries_and_mails_the_next_people(
    journalist, editor, section, django_capture_on_commit_callbacks
):
    editor.email = "cvd@example.org"
    editor.save()
    article = services.article_create(
        actor=journalist, headline="Wahl im Land", lead="x", section=section
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(actor=journalist, article=article, note="Bitte prüfen")
    assert [m.to for m in mail.outbox] == [["cvd@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_send_back(actor=editor, article=article, reason="Zahlen fehlen")
    assert "Zahlen fehlen" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["redakteurin@example.org"]
    services.article_submit(actor=journalist, article=article)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.article_publish(actor=editor, article=article)
    assert callbacks, "publishing defers its signal and mail to on_commit"
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.first_published_at is not None
    entries = list(
        AuditEntry.objects.filter(object_id=str(article.pk))
        .order_by("id")
        .values_list("action", "from_state", "to_state", "note")
    )
    assert entries == [
        ("article.create", "", "draft", ""),
        ("article.submit", "draft", "review", "Bitte prüfen"),
        ("article.send_back", "review", "draft", "Zahlen fehlen"),
        ("article.submit", "draft", "review", ""),
        ("article.publish", "review", "published", ""),
    ]


@pytest.mark.django_db
def test_send_back_needs_a_reason(editor, section):
    article = ArticleFactory(section=section, status=S.REVIEW)
    with pytest.raises(ValidationError, match="Grund"):
        services.article_send_back(actor=editor, article=article, reason="  ")
    article.refresh_from_db()
    assert article.status == S.REVIEW


@pytest.mark.django_db
def test_impossible_transitions_are_refused_with_a_message(editor, section):
    draft = ArticleFactory(section=section)
    with pytest.raises(ValidationError, match="nicht möglich"):
        services.article_unpublish(actor=editor, article=draft)
    with pytest.raises(ValidationError, match="nicht möglich"):
        services.article_send_back(actor=editor, article=draft, reason="x")


@pytest.mark.django_db
def test_publishing_in_the_future_schedules_and_keeps_the_time(editor, section):
    article = ArticleFactory(section=section, status=S.REVIEW)
    later = timezone.now() + timedelta(days=1)
    services.article_publish(actor=editor, article=article, go_live_at=later)
    assert Article.objects.scheduled().filter(pk=article.pk).exists()
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.published(at=later + timedelta(seconds=1)).filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_expiry_before_go_live_is_refused(editor, section):
    article = ArticleFactory(section=section, status=S.REVIEW)
    now = timezone.now()
    with pytest.raises(ValidationError, match="Ablauf"):
        services.article_publish(
            actor=editor, article=article, go_live_at=now, expires_at=now - timedelta(hours=1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headline",
    [
        "Hochschule entwickelt Sensor für Wasserqualität",
        "Überschwemmungen in Süddeutschland: Bürgermeister fordern schnellere Hilfe für Geschädigte",
        "🎉 „Jubiläum“ – \"100 Jahre\" 'Täglicher Bote'",
        "City council approves the new budget for public transport and road maintenance in 2027",
    ],
)
def test_workflow_mail_subjects_reach_the_mailbox_with_every_space(
    journalist, editor, section, settings, tmp_path, headline, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    editor.email = "cvd@example.org"
    editor.save()
    article = services.article_create(
        actor=journalist, headline=headline, lead="x", section=section
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.article_submit(actor=journalist, article=article)
    (written,) = tmp_path.iterdir()
    received = assert_sendable(written.read_bytes())
    assert str(received["Subject"]) == f"Zur Prüfung: {headline}"
    assert [a.addr_spec for a in received["To"].addresses] == ["cvd@example.org"]
