"""Load: 5,000 comments from 50 concurrent clients against a running site
(gunicorn with production settings, four workers, real Redis, the test
PostgreSQL). Every accepted comment is stored exactly once, every rejected one
got a clear answer, and the count on the article page adds up. A second, smaller
round with a low per-address limit checks the 429 answers and that nothing
already accepted is lost.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db.models import Count

from comments.models import Comment, ModerationMode, ModerationSettings
from tests.factories import ArticleFactory
from tests.support.servers import app_server, production_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CLIENTS = 50
PER_CLIENT = 100


@dataclass
class Outcome:
    accepted: dict[int, str] = field(default_factory=dict)  # comment id -> text
    rejected: list[tuple[int, str]] = field(default_factory=list)  # status, message
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    """One reader's browser: a keep-alive connection, its cookies and CSRF token."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection between requests:
                # that request never reached it, so sending it again is safe.
                self.connection.close()
                if attempt:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response, data

    def start(self) -> str:
        status, _, data = self.request("GET", "/kommentare/sitzung/")
        assert status == 200
        return json.loads(data)["ts"]

    def post_comment(self, article_id: int, *, name: str, email: str, text: str, ts: str):
        body = urllib.parse.urlencode({"name": name, "email": email, "text": text, "ts": ts})
        return self.request(
            "POST",
            f"/kommentare/{article_id}/schreiben/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "X-Requested-With": "fetch",
                "X-CSRFToken": self.cookies.get("csrftoken", ""),
            },
        )


def run_clients(base: str, article_id: int, *, clients: int, per_client: int, tag: str, email):
    outcome = Outcome()

    def work(n: int) -> None:
        try:
            client = Client(base)
            ts = client.start()
            for i in range(per_client):
                text = f"Beitrag {tag}-{n}-{i}: Meine Meinung zur Sache in aller Kürze."
                status, response, data = client.post_comment(
                    article_id, name=f"Leser {n}", email=email(n), text=text, ts=ts
                )
                answer = json.loads(data) if data else {}
                with outcome.lock:
                    if status == 201:
                        outcome.accepted[answer["id"]] = text
                    else:
                        outcome.rejected.append(
                            (status, answer.get("message", ""), response.getheader("Retry-After"))
                        )
            client.connection.close()
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the test
            with outcome.lock:
                outcome.errors.append(f"client {n}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    return outcome


def assert_stored_exactly_once(article, outcome: Outcome, *, before: dict[int, str]) -> None:
    rows = dict(Comment.objects.filter(article=article).values_list("pk", "text"))
    expected = {**before, **outcome.accepted}
    assert len(rows) == len(expected)
    assert rows == expected  # every accepted comment, with its own text, nothing else
    duplicates = (
        Comment.objects.filter(article=article)
        .values("text")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def page_count(client: Client, path: str) -> int:
    status, _, data = client.request("GET", path)
    assert status == 200
    match = re.search(r'id="kommentare-titel"[^>]*>(\d+) Kommentare?<', data.decode())
    assert match, "no comment count on the page"
    return int(match.group(1))


@pytest.fixture
def site(test_database_url, redis_url, static_root):
    env = production_env(
        database_url=test_database_url,
        redis_url=redis_url,
        DJANGO_STATIC_ROOT=static_root,
        PAGE_CACHE_ENABLED="1",
        CACHE_KEY_PREFIX=f"load{time.monotonic_ns()}",
    )
    with app_server(env, workers=4) as base:
        yield base


def test_5000_comments_from_50_clients_are_each_stored_once_and_counted(site, redis_url):
    conf = ModerationSettings.get()
    conf.mode = ModerationMode.POST
    conf.rate_limit_per_ip = 30_000  # smallint; far above 5,000
    conf.rate_limit_per_address = 30_000
    conf.min_seconds_to_fill = 0
    conf.save()
    article = ArticleFactory(published=True, slug="grosse-debatte")
    reader = Client(site)
    assert page_count(reader, f"/kommentare/{article.pk}/") == 0

    started = time.monotonic()
    outcome = run_clients(
        site,
        article.pk,
        clients=CLIENTS,
        per_client=PER_CLIENT,
        tag="a",
        email=lambda n: f"leser{n}@example.org",
    )
    elapsed = time.monotonic() - started
    assert outcome.errors == []
    assert len(outcome.accepted) + len(outcome.rejected) == CLIENTS * PER_CLIENT
    assert all(400 <= status < 500 and message for status, message, _ in outcome.rejected), Counter(
        status for status, _, _ in outcome.rejected
    )
    assert len(outcome.accepted) == CLIENTS * PER_CLIENT, "with limits this high all are accepted"
    assert_stored_exactly_once(article, outcome, before={})

    # The count readers see (article page through the page cache, and the thread page)
    # equals the approved rows.
    approved = Comment.objects.public().filter(article=article).count()
    assert approved == CLIENTS * PER_CLIENT
    assert page_count(reader, article.get_absolute_url()) == approved
    assert page_count(reader, f"/kommentare/{article.pk}/") == approved
    print(f"\n{CLIENTS * PER_CLIENT} comments in {elapsed:.1f}s")  # noqa: T201

    # Round two: a low per-address limit. The limiter answers 429 in German with
    # Retry-After; what was accepted (both rounds) stays stored exactly once.
    import redis

    conf.rate_limit_per_address = 5
    conf.save()
    redis.Redis.from_url(redis_url).flushdb()  # the servers' cached settings and counters
    before = dict(Comment.objects.filter(article=article).values_list("pk", "text"))
    second = run_clients(
        site,
        article.pk,
        clients=10,
        per_client=8,
        tag="b",
        email=lambda n: f"vielschreiber{n}@example.org",
    )
    assert second.errors == []
    assert len(second.accepted) == 10 * 5
    assert len(second.rejected) == 10 * 3
    for status, message, retry_after in second.rejected:
        assert status == 429
        assert "Bitte warten Sie" in message and "Ihr Text bleibt erhalten" in message
        assert retry_after and int(retry_after) > 0
    outcome.accepted.update(second.accepted)
    assert_stored_exactly_once(article, second, before=before)
    assert page_count(reader, article.get_absolute_url()) == CLIENTS * PER_CLIENT + 50
