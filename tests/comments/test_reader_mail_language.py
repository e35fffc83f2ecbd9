"""Every mail the comments app sends to a reader speaks the language of the page the
reader acted on, and every link in it leads, under that language's prefix, to a page
that exists.

The flows are driven like a reader and the moderation drive them (form posts under
``/`` or ``/en/``, the services the admin calls), the mails are written by Django's
real file backend and parsed back from their bytes. The test knows every mail template
of ``templates/comments/mail/``: a new reader mail without a flow here fails it.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from comments import mail as comments_mail
from comments import services
from comments.models import Comment, ErrorReport, Notice
from tests.comments.conftest import form_ts
from tests.factories import ArticleFactory, staff_member
from tests.support.mailcheck import written_mails

pytestmark = pytest.mark.django_db

MAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "comments" / "mail"
URL = re.compile(r"""https?://[^\s"'<>]+""")

# Words only the German mails use; the English content of the English flows has none.
GERMAN = re.compile(
    r"\b(Sie|Ihr|Ihre|Ihren|Ihrem|Ihnen|und|der|die|das|nicht|wurde|Kommentar|Hinweis|"
    r"Abonnement|Guten|Danke|Entscheidung|Widerspruch|Artikel|Zum)\b|[äöüÄÖÜß]"
)
ENGLISH = re.compile(r"\b(you|your|the|has been|comment|notice|decision)\b", re.IGNORECASE)

CONTENT = {
    "de": {
        "headline": "Stadtrat beschließt den neuen Haushalt",
        "comment": "Ein durchdachter Kommentar zum Haushalt.",
        "reply": "Eine Antwort auf den Kommentar, mit Gründen.",
        "error": "Die Summe stimmt nicht, es sind 14 Millionen.",
        "explanation": "Das ist eine Beleidigung des Kämmerers.",
    },
    "en": {
        "headline": "City council approves the new budget",
        "comment": "A thoughtful remark on the budget.",
        "reply": "A reply to that remark, with reasons.",
        "error": "The sum is wrong, it is 14 million.",
        "explanation": "This insults the treasurer.",
    },
}
READERS = ("abo@example.org", "autor@example.org", "rita@example.org", "leser@example.org")


@pytest.fixture
def built(monkeypatch) -> list[tuple[str, str, str]]:
    """(template, recipient, subject) of every reader mail built, in order."""
    seen: list[tuple[str, str, str]] = []
    build = comments_mail.build_mail

    def spy(**kwargs):
        seen.append((kwargs["template"], kwargs["to"], str(kwargs["subject"])))
        return build(**kwargs)

    monkeypatch.setattr(comments_mail, "build_mail", spy)
    return seen


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def recipient(message) -> str:
    return message["To"].addresses[0].addr_spec


def link_to(folder: Path, to: str, fragment: str) -> str:
    """The path of the one link containing ``fragment`` in the mails to ``to``."""
    (url,) = {
        url
        for _raw, message in written_mails(folder)
        if recipient(message) == to
        for url in URL.findall(message.get_body(preferencelist=("plain",)).get_content())
        if fragment in url
    }
    return path_of(url)


def run_every_reader_flow(*, language: str, folder: Path, moderator, editor, capture) -> None:
    """Every way a reader gets a mail from the comments app, from pages in ``language``;
    the links a reader follows are taken from the mails."""
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    words = CONTENT[language]
    article = ArticleFactory(published=True, language=language, headline=words["headline"])
    second_moderator = staff_member("moderation2", "Moderation")
    reader, author, notifier = Client(), Client(), Client()

    def comment(client, email, text, **extra):
        payload = {"name": "Kim", "email": email, "text": text, "ts": form_ts(), **extra}
        with capture(execute=True):
            response = client.post(f"{prefix}/kommentare/{article.pk}/schreiben/", payload)
        assert response.status_code < 400, response
        return Comment.objects.filter(email=email).latest("pk")

    def follow(client, to: str, fragment: str, data: dict | None = None) -> None:
        response = client.post(link_to(folder, to, fragment), data or {})
        assert response.status_code == 200, (to, fragment, response.status_code)

    # Subscribe with the form: the confirmation mail, confirmed by its link.
    with capture(execute=True):
        reader.post(
            f"{prefix}/kommentare/{article.pk}/abonnieren/",
            {"email": "abo@example.org", "kind": "all"},
        )
    follow(reader, "abo@example.org", "/bestaetigen/")
    # A comment that asks for replies: its confirmation; the subscriber's notification.
    first = comment(author, "autor@example.org", words["comment"], notify="replies")
    follow(author, "autor@example.org", "/bestaetigen/")
    # A reply: notifications to the author (a reply) and to the subscriber.
    comment(Client(), "leser@example.org", words["reply"], parent=str(first.pk))
    # The manage-my-data link.
    with capture(execute=True):
        reader.post(f"{prefix}/kommentare/meine-daten/", {"email": "abo@example.org"})
    # An error report corrected by an editor.
    with capture(execute=True):
        reader.post(
            f"{prefix}/kommentare/fehler/{article.pk}/",
            {"text": words["error"], "email": "leser@example.org", "paragraph": ""},
        )
        services.error_report_correct(
            report=ErrorReport.objects.get(), actor=editor, text=words["error"]
        )
    # A DSA notice: received; kept; the notifier's complaint; removed on review, which
    # sends the author the statement of reasons.
    with capture(execute=True):
        notifier.post(
            f"{prefix}/kommentare/hinweis/{first.pk}/",
            {
                "ground": "insult",
                "explanation": words["explanation"],
                "name": "Rita Reporter",
                "email": "rita@example.org",
                "good_faith": "on",
            },
        )
        services.comment_approve(comment=first, actor=moderator)
    assert Notice.objects.get().outcome == Notice.Outcome.KEPT
    follow(notifier, "rita@example.org", "/widerspruch/", {"explanation": words["explanation"]})
    with capture(execute=True):
        services.comment_reject(
            comment=Comment.objects.get(pk=first.pk),
            actor=second_moderator,
            reason=words["explanation"],
            ground="insult",
        )
    # The author of the removed comment asks for a review and wins it.
    follow(author, "autor@example.org", "/widerspruch/", {"explanation": words["comment"]})
    with capture(execute=True):
        services.comment_approve(comment=Comment.objects.get(pk=first.pk), actor=moderator)


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_reader_mail_speaks_the_page_language_and_links_to_pages_in_it(
    conf,
    moderator,
    editor,
    mail_folder,
    built,
    language,
    django_capture_on_commit_callbacks,
):
    run_every_reader_flow(
        language=language,
        folder=mail_folder,
        moderator=moderator,
        editor=editor,
        capture=django_capture_on_commit_callbacks,
    )
    templates = {p.stem for p in MAIL_TEMPLATES.glob("*.txt") if not p.name.startswith("_")}
    assert {template for template, _to, _subject in built} == templates

    mails = [m for _raw, m in written_mails(mail_folder) if recipient(m) in READERS]
    sent = sorted((recipient(m), str(m["Subject"])) for m in mails)
    assert sent == sorted((to, subject) for _template, to, subject in built)
    template_of = {(to, subject): template for template, to, subject in built}
    other, own = (GERMAN, ENGLISH) if language == "en" else (ENGLISH, GERMAN)
    for message in mails:
        template = template_of[recipient(message), str(message["Subject"])]
        text = message.get_body(preferencelist=("plain",)).get_content()
        html = message.get_body(preferencelist=("html",)).get_content()
        where = f"{template} ({language})"
        assert message["Content-Language"] == language, where
        assert f'<html lang="{language}">' in html, where
        prose = URL.sub(" ", f"{message['Subject']}\n{text}")
        assert own.search(prose), f"{where} is not in its language:\n{prose}"
        assert not other.search(prose), f"{where} speaks the other language:\n{prose}"

        links = set(URL.findall(text)) | set(re.findall(r'href="([^"]+)"', html))
        links.add(str(message["List-Unsubscribe"]).strip("<>"))
        for url in links:
            assert url.startswith(settings.SITE_URL + "/"), (where, url)
            path = path_of(url)
            assert path.startswith("/en/") == (language == "en"), (where, url)
            answer = Client().get(path)
            assert answer.status_code == 200, (where, url, answer.status_code)

    # The one-click unsubscribe of the headers works under the page language's prefix.
    for message in mails:
        one_click = path_of(str(message["List-Unsubscribe"]).strip("<>"))
        answer = Client().post(one_click, {"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 200, (one_click, answer.status_code)
