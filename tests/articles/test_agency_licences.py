"""Agency licences: the job takes expired agency articles down (audit, purge), the desk
sees what ends soon, an editor extends with a reason. Times are passed in (``at=``)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import licences
from articles.signals import article_changed
from core.models import AuditEntry
from tests.factories import AgencyFactory, ArticleFactory

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture
def dpa(db):
    return AgencyFactory(name="Deutsche Presse-Agentur", credit="dpa", licence_days=30)


def agency_article(agency, *, published_days_ago, **extra):
    first = NOW - timedelta(days=published_days_ago)
    return ArticleFactory(
        agency=agency,
        status=Article.Status.PUBLISHED,
        go_live_at=first,
        first_published_at=first,
        **extra,
    )


@pytest.mark.django_db
def test_job_unpublishes_agency_articles_whose_licence_ended_with_audit_and_purge(dpa, section):
    expired = agency_article(dpa, published_days_ago=31, section=section)
    valid = agency_article(dpa, published_days_ago=10, section=section)
    own_report = ArticleFactory(section=section, published=True)  # no agency: no limit
    unlimited = agency_article(
        AgencyFactory(name="Evangelischer Pressedienst", credit="epd", licence_days=None),
        published_days_ago=400,
        section=section,
    )
    purged = []
    article_changed.connect(
        lambda sender, article_id, **kw: purged.append(article_id),
        weak=False,
        dispatch_uid="t-lic",
    )
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            taken_down = licences.agency_licences_expire(at=NOW)
    finally:
        article_changed.disconnect(dispatch_uid="t-lic")
    assert [a.pk for a in taken_down] == [expired.pk]
    for article in (expired, valid, own_report, unlimited):
        article.refresh_from_db()
    assert expired.status == Article.Status.UNPUBLISHED
    assert {valid.status, own_report.status, unlimited.status} == {Article.Status.PUBLISHED}
    entry = AuditEntry.objects.get(object_id=str(expired.pk), action="article.unpublish")
    assert entry.actor is None and entry.note == "Agenturlizenz abgelaufen"
    assert entry.data["agency"] == "dpa"
    assert purged == [expired.pk]
    assert not Article.objects.published().filter(pk=expired.pk).exists()


@pytest.mark.django_db
def test_job_takes_nothing_down_before_the_licence_ends_and_dry_run_changes_nothing(dpa, section):
    article = agency_article(dpa, published_days_ago=29, section=section)
    assert licences.agency_licences_expire(at=NOW) == []
    later = NOW + timedelta(days=2)
    assert licences.agency_licences_expire(at=later, dry_run=True) == [article]
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    call_command("expire_agency_licences", "--at", later.isoformat(), verbosity=0)
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED


@pytest.mark.django_db
def test_editor_extends_a_licence_with_a_reason_and_the_job_respects_it(editor, dpa, section):
    article = agency_article(dpa, published_days_ago=29, section=section)
    until = NOW + timedelta(days=10)
    with pytest.raises(Exception, match="Grund"):
        licences.article_licence_extend(actor=editor, article=article, until=until, reason=" ")
    licences.article_licence_extend(
        actor=editor, article=article, until=until, reason="Verlängert laut dpa-Vertrag", at=NOW
    )
    assert licences.agency_licences_expire(at=NOW + timedelta(days=5)) == []
    entry = AuditEntry.objects.get(object_id=str(article.pk), action="article.licence_extend")
    assert entry.actor == editor and entry.note == "Verlängert laut dpa-Vertrag"
    assert entry.data["until"] == until.isoformat()
    assert [a.pk for a in licences.agency_licences_expire(at=NOW + timedelta(days=11))] == [
        article.pk
    ]


@pytest.mark.django_db
def test_an_extension_must_end_later_than_the_licence_does(editor, dpa, section):
    article = agency_article(dpa, published_days_ago=1, section=section)  # ends in 29 days
    with pytest.raises(Exception, match="nach dem bisherigen"):
        licences.article_licence_extend(
            actor=editor, article=article, until=NOW + timedelta(days=5), reason="x", at=NOW
        )


@pytest.mark.django_db
def test_journalist_cannot_extend_a_licence(client, journalist, dpa, section):
    article = agency_article(dpa, published_days_ago=29, section=section, created_by=journalist)
    with pytest.raises(Exception, match="verlängern"):
        licences.article_licence_extend(
            actor=journalist, article=article, until=NOW + timedelta(days=9), reason="bitte"
        )
    client.force_login(journalist)
    url = reverse("admin:articles_article_licence_extend", args=[article.pk])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_desk_sees_what_expires_soon_and_extends_it_in_the_admin(client, editor, dpa, section):
    soon = agency_article(dpa, published_days_ago=27, section=section, headline="Bald weg")
    agency_article(dpa, published_days_ago=2, section=section, headline="Noch lange")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist") + "?lizenz=bald")
    assert "Bald weg" in page.text and "Noch lange" not in page.text
    assert "Lizenzende" in page.text
    form = client.get(reverse("admin:articles_article_change", args=[soon.pk]))
    assert "läuft bald ab" in form.text and "lizenz/verlaengern" in form.text
    until = timezone.localtime(NOW + timedelta(days=60))
    response = client.post(
        reverse("admin:articles_article_licence_extend", args=[soon.pk]),
        {
            "until_0": until.strftime("%d.%m.%Y"),
            "until_1": until.strftime("%H:%M"),
            "reason": "Nachlizenziert",
        },
        follow=True,
    )
    assert "verlängert bis" in response.text  # back on the change form, with the message
    soon.refresh_from_db()
    assert soon.licence_until == until.replace(second=0)
    page = client.get(reverse("admin:articles_article_changelist") + "?lizenz=bald")
    assert "Bald weg" not in page.text


@pytest.mark.django_db
def test_saving_the_change_form_keeps_an_extension_made_meanwhile(editor, dpa, section):
    from articles import services

    article = agency_article(dpa, published_days_ago=29, section=section)
    stale = Article.objects.get(pk=article.pk)
    until = NOW + timedelta(days=20)
    licences.article_licence_extend(actor=editor, article=article, until=until, reason="Vertrag")
    stale.headline = "Neue Überschrift"
    services.article_update(actor=editor, article=stale, expected_version=None)
    stale.refresh_from_db()
    assert stale.licence_until == until
