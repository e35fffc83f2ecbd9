"""One client address for every limit, ban and log: X-Forwarded-For counts only
from TRUSTED_PROXIES, read from the right; health checks by address answer."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from comments.models import Comment
from core.clientip import client_ip, parse_networks
from tests.comments.conftest import form_ts
from tests.factories import ArticleFactory
from tests.support.servers import ROOT

rf = RequestFactory()


def ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **meta))


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(settings):
    settings.TRUSTED_PROXIES = ()
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ("10.0.0.5/32",)
    assert ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_a_trusted_proxy_the_reader_is_the_forwarded_address(settings):
    settings.TRUSTED_PROXIES = ("10.0.0.0/24",)
    assert ip("10.0.0.5", "198.51.100.1") == "198.51.100.1"


def test_the_header_is_read_from_the_right_past_trusted_hops(settings):
    settings.TRUSTED_PROXIES = ("10.0.0.0/24", "fd00::/8")
    # forged by the client, then the reader as nginx saw it, then an inner proxy
    assert ip("10.0.0.5", "1.2.3.4, 198.51.100.1, fd00::7, 10.0.0.9") == "198.51.100.1"
    assert ip("10.0.0.5", "garbage, 198.51.100.1") == "198.51.100.1"  # left of it: ignored


def test_ipv6_readers_and_proxies_work(settings):
    settings.TRUSTED_PROXIES = ("2001:db8:1::/48",)
    assert ip("2001:db8:1::5", "2001:db8:ffff::42") == "2001:db8:ffff::42"
    assert ip("::ffff:203.0.113.7") == "203.0.113.7"


@pytest.mark.parametrize("header", ["", "   ", "198.51.100.1, not-an-ip", "198.51.100.1,,"])
def test_a_malformed_header_falls_back_to_the_peer(settings, header):
    settings.TRUSTED_PROXIES = ("10.0.0.5",)
    assert ip("10.0.0.5", header) == "10.0.0.5"


def test_only_trusted_hops_in_the_header_give_the_leftmost(settings):
    settings.TRUSTED_PROXIES = ("10.0.0.0/8",)
    assert ip("10.0.0.5", "10.1.1.1, 10.2.2.2") == "10.1.1.1"


def test_invalid_trusted_proxies_are_refused_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXIES.*'10\.0\.0\.300'.*'proxy'"):
        parse_networks(["10.0.0.5", "10.0.0.300", "proxy"])
    assert parse_networks([" 10.0.0.5 ", "10.0.1.7/24", "fd00::/8", ""]) == (
        "10.0.0.5/32",
        "10.0.1.0/24",
        "fd00::/8",
    )


def test_the_site_refuses_to_start_with_an_invalid_trusted_proxies_entry():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u@127.0.0.1:1/none",
        TRUSTED_PROXIES="10.0.0.5,nginx.internal",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
    assert "'nginx.internal'" in result.stderr


@pytest.mark.django_db
def test_a_comment_stores_the_forwarded_address_only_from_a_trusted_proxy(client, settings):
    article = ArticleFactory(published=True)
    settings.TRUSTED_PROXIES = ("10.0.0.5/32",)
    data = {"name": "Erika", "email": "erika@example.org", "ts": form_ts()}
    url = f"/kommentare/{article.pk}/schreiben/"
    client.post(
        url,
        {**data, "text": "Erster Beitrag."},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    client.post(
        url,
        {**data, "text": "Zweiter Beitrag."},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    stored = dict(Comment.objects.values_list("text", "ip"))
    assert stored == {"Erster Beitrag.": "198.51.100.1", "Zweiter Beitrag.": "203.0.113.7"}


@pytest.mark.django_db
def test_search_limits_count_per_reader_behind_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = ("10.0.0.5/32",)
    settings.SEARCH_RATE_LIMIT = 2
    settings.SEARCH_RATE_LIMIT_WINDOW = 3600  # no window boundary during the test

    def search(reader, query):
        # A new query each time: a cached result page is no search the limit counts.
        return client.get(
            f"/suche/?q={query}", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=reader
        ).status_code

    assert [search("198.51.100.1", q) for q in ("Landtag", "Wahl", "Kreis")] == [200, 200, 429]
    assert search("198.51.100.2", "Stadt") == 200  # another reader has their own limit


@pytest.mark.django_db
def test_health_check_by_address_answers_although_the_host_is_not_allowed(client, settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    assert client.get("/admin/login/", HTTP_HOST="10.0.0.11:8000").status_code == 400
    response = client.get("/healthz", HTTP_HOST="10.0.0.11:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
