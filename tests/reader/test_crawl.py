"""Crawl guard: everything a reader (or a search engine) reaches from the home page works.

One module-scoped crawl seeds the demo content (``seed_demo``) and follows every
internal link from the German and the English home page, robots.txt, the feeds and
the sitemaps (and every URL they list): ``<a href>``, ``<link href>``, ``src`` and
``srcset``, form actions (the search form with a query), and the ``data-*-url``
partials the page's scripts load. The tests below then state, each for itself:

- no URL answers 5xx, no internal link answers 404 (media files must exist in storage);
- every HTML page (and every HTML partial, wrapped in a document) passes the W3C Nu
  HTML Checker with zero errors — ONE ``java -jar vnu.jar`` run over all pages;
- feeds and sitemaps are well-formed XML (sitemaps in the sitemaps.org namespace) and
  every absolute URL in them points to ``NEWSROOM_SITE_URL``.

The checker is ``vnu-jar`` from npm (package.json at the repo root; ``make test``
installs it into node_modules/ when npm is there). Without Java the checker test is
skipped with a message; the other tests still run.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess  # noqa: S404 - runs the pinned W3C checker on our own output
import xml.etree.ElementTree as ET  # our own output, parsed in tests
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from articles import images
from articles.models import Article

# django_db makes pytest-django create the test database; the crawl itself runs once in
# a module fixture, inside a transaction that is rolled back. slow: it takes minutes.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# A crawl of the demo content touches a few hundred URLs; far more means a crawler trap
# (an endless chain of generated links), which is a defect of its own.
MAX_URLS = 1500
SEARCH_WORD = "Energie"


# --- The crawler -------------------------------------------------------------------------


@dataclass
class Fetched:
    """One URL's answer and where the crawl found it."""

    url: str
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    location: str = ""
    found_on: set[str] = field(default_factory=set)
    post_only: bool = False  # found only as a POST form's action: 405 to GET is fine

    @property
    def is_html(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")

    @property
    def is_xml(self) -> bool:
        return self.status == 200 and "xml" in self.content_type

    def where(self) -> str:
        return f"{self.url} (linked from {', '.join(sorted(self.found_on)[:3]) or 'the start'})"


class _LinkParser(HTMLParser):
    """Every URL an HTML page points to, with whether it is a POST form's action."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src") or (name.startswith("data-") and name.endswith("-url")):
                self.links.append((value, False))
            elif name in ("srcset", "imagesrcset"):
                self.links.extend((part.split()[0], False) for part in value.split(",") if part)
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            action = attributes.get("action") or ""
            if method == "post":
                self.links.append((action, True))
            elif "search" in (attributes.get("role") or ""):
                # The crawl types a word into every search form.
                self.links.append((f"{action}?q={SEARCH_WORD}", False))
            else:
                self.links.append((action, False))


def _site_path(url: str, base: str) -> str | None:
    """The path + query of an internal URL, None for external ones (and mailto: etc.)."""
    absolute = urljoin(f"{settings.SITE_URL}{base}", url.strip())
    parts = urlsplit(absolute)
    site = urlsplit(settings.SITE_URL)
    if (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def xml_urls(root: ET.Element) -> list[str]:
    """Every absolute http(s) URL in an XML document: element texts and attribute values."""
    found = []
    for element in root.iter():
        values = [element.text or "", *element.attrib.values()]
        found.extend(v.strip() for v in values if v.strip().startswith(("http://", "https://")))
    return found


class Crawler:
    """Breadth-first over the site with the Django test client; every URL fetched once."""

    def __init__(self, client: Client):
        self.client = client
        self.pages: dict[str, Fetched] = {}
        self.queue: deque[str] = deque()
        self.media: dict[str, set[str]] = {}

    def add(self, url: str, *, found_on: str = "", post_only: bool = False) -> None:
        path = _site_path(url, found_on or "/")
        if path is None:
            return
        path = path.split("#")[0] or "/"
        if path.startswith(settings.MEDIA_URL):
            self.media.setdefault(path, set()).add(found_on)
            return
        if path.startswith("/admin/"):
            return  # the crawl is about reader pages; the admin has its own tests
        fetched = self.pages.get(path)
        if fetched is None:
            fetched = self.pages[path] = Fetched(url=path, post_only=post_only)
            self.queue.append(path)
        fetched.post_only = fetched.post_only and post_only
        if found_on:
            fetched.found_on.add(found_on)

    def run(self, start: list[str]) -> dict[str, Fetched]:
        for url in start:
            self.add(url)
        while self.queue:
            assert len(self.pages) <= MAX_URLS, (
                f"more than {MAX_URLS} URLs: a crawler trap? last ones: {list(self.pages)[-10:]}"
            )
            self._fetch(self.pages[self.queue.popleft()])
        return self.pages

    def _fetch(self, fetched: Fetched) -> None:
        response = self.client.get(fetched.url)
        fetched.status = response.status_code
        fetched.content_type = response.get("Content-Type", "")
        if response.streaming:  # static files (WhiteNoise); reading to the end closes the file
            fetched.body = b"".join(response.streaming_content)
        else:
            fetched.body = response.content
        if 300 <= fetched.status < 400:
            fetched.location = response["Location"]
            self.add(fetched.location, found_on=fetched.url)
        elif fetched.is_html:
            parser = _LinkParser()
            parser.feed(fetched.body.decode())
            for link, post_only in parser.links:
                self.add(link, found_on=fetched.url, post_only=post_only)
        elif fetched.is_xml:
            for url in xml_urls(ET.fromstring(fetched.body)):  # noqa: S314 - our own XML
                self.add(url, found_on=fetched.url)
        elif fetched.status == 200 and fetched.url == "/robots.txt":
            for line in fetched.body.decode().splitlines():
                if line.lower().startswith("sitemap:"):
                    self.add(line.split(":", 1)[1].strip(), found_on=fetched.url)


def _start_urls() -> list[str]:
    """Home pages, machine endpoints, searches and the archive around the newest article.

    Nothing links to the year, month and day archives, so the crawl starts there too.
    """
    urls = ["/", "/en/", "/robots.txt", "/favicon.ico", "/sitemap.xml", "/news-sitemap.xml"]
    newest = Article.objects.published().order_by("-go_live_at").first()
    assert newest is not None, "seed_demo made no published article"
    day = timezone.localtime(newest.go_live_at)
    for prefix in ("", "/en"):
        urls += [
            f"{prefix}/suche/?q={SEARCH_WORD}",
            f"{prefix}/archiv/{day:%Y}/",
            f"{prefix}/archiv/{day:%Y/%m}/",
            f"{prefix}/archiv/{day:%Y/%m/%d}/",
        ]
    return urls


@dataclass
class CrawlResult:
    pages: dict[str, Fetched]
    missing_media: dict[str, set[str]]  # media URL -> pages that use it, file not in storage
    german_texts: list[tuple[str, str]] = field(default_factory=list)  # (source, text)

    def html_pages(self) -> list[Fetched]:
        return [p for p in self.pages.values() if p.is_html]


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory) -> CrawlResult:
    """Seed the demo content, crawl the site, roll everything back; the answers stay."""
    from django.core.cache import cache

    media = tmp_path_factory.mktemp("crawl-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(images, "RENDITION_WIDTHS", (320, 640))  # keeps the seeding fast
        cache.clear()
        try:
            with transaction.atomic():
                call_command("seed_demo", "--force", stdout=io.StringIO())
                crawler = Crawler(Client(raise_request_exception=False))
                pages = crawler.run(_start_urls())
                missing = {
                    url: found_on
                    for url, found_on in crawler.media.items()
                    if not default_storage.exists(unquote(url.removeprefix(settings.MEDIA_URL)))
                }
                german = _german_texts()
                transaction.set_rollback(True)
        finally:
            cache.clear()
    return CrawlResult(pages=pages, missing_media=missing, german_texts=german)


def _blocks(html: str) -> list[str]:
    """The text of each paragraph, heading, list item or quote of a rich-text field."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = root.xpath(".//p|.//h2|.//h3|.//h4|.//li|.//blockquote|.//figcaption")
    return [b.text_content() for b in blocks] or [root.text_content()]


def _german_texts() -> list[tuple[str, str]]:
    """Every German text of a German-language object a page may show (the demo's)."""
    from pages.models import Page
    from ticker.models import TickerEntry

    texts: list[tuple[str, str]] = []
    for article in Article.objects.filter(language="de"):
        texts += [(f"article {article.slug}", t) for t in (article.headline, article.lead)]
        texts += [(f"article {article.slug} body", t) for t in _blocks(article.body)]
    for page in Page.objects.all():
        texts.append((f"page {page.slug}", page.title))
        texts += [(f"page {page.slug} body", t) for t in _blocks(page.body)]
    for entry in TickerEntry.objects.filter(ticker__article__language="de"):
        texts += [(f"ticker entry {entry.pk}", t) for t in _blocks(entry.body)]
    return texts


# --- What the crawl must find -----------------------------------------------------------


def test_the_crawl_reaches_every_kind_of_reader_page(crawl):
    """The guard is only as good as its reach: both languages, lists, pages 2+, partials."""
    urls = [p.url for p in crawl.pages.values() if p.status == 200]
    html = {p.url for p in crawl.html_pages()}
    for prefix in ("", "/en"):
        assert f"{prefix}/" in html
        assert any(u.startswith(f"{prefix}/thema/") for u in html), "no tag page"
        assert any(u.startswith(f"{prefix}/autor/") for u in html), "no author page"
        assert any(u.startswith(f"{prefix}/seite/") for u in html), "no static page"
        assert any(u.startswith(f"{prefix}/archiv/") for u in html), "no archive page"
        assert any(u.startswith(f"{prefix}/suche/?q=") for u in html), "no search"
    assert any("seite=2" in u for u in html), "no paginated page"
    assert any(_is_article(crawl.pages[u]) and u.startswith("/en/") for u in html), (
        "no English article (seed_demo's translation)"
    )
    assert any(re.fullmatch(r"/archiv/\d{4}/\d{2}/\d{2}/", u) for u in html), "no archive day"
    assert any(u.startswith("/kommentare/") and "/liste/" in u for u in html), "no comment partial"
    assert {
        "/feed/",
        "/feed/atom/",
        "/feed/volltext/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
    } <= set(urls)
    assert len(html) > 50


def _is_article(fetched: Fetched) -> bool:
    return fetched.is_html and b'<meta property="og:type" content="article">' in fetched.body


def _canonical(fetched: Fetched) -> str | None:
    match = re.search(rb'<link rel="canonical" href="([^"]+)">', fetched.body)
    return match.group(1).decode() if match else None


def test_every_page_has_one_language_and_no_silent_duplicate(crawl):
    """An article is served in its own language only (other prefixes answer 301), with
    itself as canonical; an interface page under /en/ names the German page."""
    problems = []
    for page in crawl.html_pages():
        if "/kommentare/" in page.url:
            continue  # partials and comment forms: noindex, no canonical
        english = page.url.startswith("/en/")
        lang = re.search(rb'<html lang="([a-z]+)">', page.body)
        if lang is None or lang.group(1).decode() != ("en" if english else "de"):
            problems.append(f"{page.url}: html lang {lang and lang.group(1)}")
        canonical = _canonical(page)
        if canonical is None:
            continue
        path = page.url.split("?")[0]
        if _is_article(page):
            if canonical != f"{settings.SITE_URL}{path}":
                problems.append(f"{page.url}: article canonical {canonical}")
        elif (
            english
            and not canonical.startswith(f"{settings.SITE_URL}/")
            or (english and canonical.startswith(f"{settings.SITE_URL}/en/"))
        ):
            problems.append(f"{page.url}: English interface page with canonical {canonical}")
    assert not problems, "\n".join(problems)


def test_no_url_reachable_from_the_home_page_answers_a_server_error(crawl):
    errors = [f"{p.status} {p.where()}" for p in crawl.pages.values() if p.status >= 500]
    assert not errors, "server errors:\n" + "\n".join(errors)


def test_no_internal_link_is_broken(crawl):
    broken = [
        f"{p.status} {p.where()}"
        for p in crawl.pages.values()
        if p.status < 500
        and p.status not in (200, 301, 302)
        and not (p.post_only and p.status == 405)
    ]
    broken += [
        f"missing media file {url} (used on {sorted(on)[:3]})"
        for url, on in crawl.missing_media.items()
    ]
    assert not broken, "broken links:\n" + "\n".join(sorted(broken))


def test_feeds_are_xml_whose_links_point_to_the_site(crawl):
    feeds = [p for p in crawl.pages.values() if p.status == 200 and "/feed/" in p.url]
    assert len(feeds) > 4
    for feed in feeds:
        assert feed.content_type.startswith(("application/rss+xml", "application/atom+xml")), (
            feed.url
        )
        root = ET.fromstring(feed.body)  # noqa: S314 - our own XML
        assert root.tag in ("rss", "{http://www.w3.org/2005/Atom}feed"), feed.url
        _assert_urls_on_the_site(feed, root)


def test_sitemaps_are_sitemaps_org_xml_listing_only_site_urls(crawl):
    for url in ("/sitemap.xml", "/news-sitemap.xml"):
        sitemap = crawl.pages[url]
        assert sitemap.status == 200 and "xml" in sitemap.content_type
        root = ET.fromstring(sitemap.body)  # noqa: S314 - our own XML
        assert root.tag in (
            f"{{{SITEMAP_NAMESPACE}}}urlset",
            f"{{{SITEMAP_NAMESPACE}}}sitemapindex",
        )
        locations = [loc.text for loc in root.iter(f"{{{SITEMAP_NAMESPACE}}}loc")]
        assert locations, url
        _assert_urls_on_the_site(sitemap, root)
        for location in locations:
            assert crawl.pages[_site_path(location, "/")].status == 200, location
    robots = crawl.pages["/robots.txt"].body.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots


def _assert_urls_on_the_site(fetched: Fetched, root: ET.Element) -> None:
    foreign = [u for u in xml_urls(root) if not u.startswith(f"{settings.SITE_URL}/")]
    # Namespaces are in tags, not in texts; schema locations are the only other URLs.
    foreign = [u for u in foreign if "www.w3.org" not in u and "sitemaps.org" not in u]
    assert not foreign, f"{fetched.url} points away from {settings.SITE_URL}: {foreign[:5]}"


# --- W3C validity --------------------------------------------------------------------------

_FRAGMENT_DOCUMENT = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    "<title>Fragment</title></head><body>{}</body></html>"
)


def _as_document(fetched: Fetched) -> bytes:
    """Full pages as they are; partials (fetched by scripts) inside a minimal document."""
    if fetched.body.lstrip()[:15].lower() == b"<!doctype html>":
        return fetched.body
    return _FRAGMENT_DOCUMENT.format(fetched.body.decode()).encode()


def run_vnu(directory: Path) -> list[dict]:
    """One checker run over every file in ``directory``; the error messages (JSON)."""
    java = shutil.which("java")
    completed = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(directory)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        messages = json.loads(completed.stderr or completed.stdout)["messages"]
    except (ValueError, KeyError) as error:
        raise AssertionError(f"vnu.jar gave no JSON report: {completed.stderr[-2000:]}") from error
    return [m for m in messages if m.get("type") in ("error", "non-document-error")]


def test_every_html_page_passes_the_w3c_nu_html_checker(crawl, tmp_path):
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: the W3C Nu HTML Checker (vnu.jar) cannot run")
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make vnu` (npm ci, needs npm)"
    names = {}
    for index, page in enumerate(crawl.html_pages()):
        name = f"page{index:04d}.html"
        names[name] = page.url
        (tmp_path / name).write_bytes(_as_document(page))
    assert len(names) > 50
    by_message: dict[str, list[str]] = {}
    for message in run_vnu(tmp_path):
        page = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        where = f"{page}:{message.get('lastLine')} [{message.get('extract', '').strip()}]"
        by_message.setdefault(message.get("message", "?"), []).append(where)
    report = [
        f"{len(places)}x {text}\n    " + "\n    ".join(places[:3])
        for text, places in sorted(by_message.items(), key=lambda item: -len(item[1]))
    ]
    assert not report, f"{sum(map(len, by_message.values()))} W3C errors:\n" + "\n".join(report)


# --- Language marks -------------------------------------------------------------------

# Long enough that a German text is not mistaken for a word of the English interface.
MIN_MARKED_TEXT = 12
MATCH_PREFIX = 60  # teasers may shorten a lead: its beginning is enough to find it


def _normal(text: str) -> str:
    return " ".join(text.split())


def _has_german_ancestor(element) -> bool:
    for node in element.iterancestors():
        if node.get("lang", "").split("-")[0] == "de":
            return True
    return element.get("lang", "").split("-")[0] == "de"


def _smallest_holders(root, text: str):
    """The innermost elements whose text contains ``text``."""
    stack = [root]
    while stack:
        element = stack.pop()
        inner = [
            child
            for child in element
            if isinstance(child.tag, str) and text in _normal(child.text_content())
        ]
        if inner:
            stack.extend(inner)
        else:
            yield element


def test_german_text_on_english_pages_is_marked_lang_de(crawl):
    """On /en/, every headline, lead, body paragraph or title of German-language content
    (articles without translation, static pages, ticker entries) sits inside an element
    with lang="de", so screen readers pronounce it in German (WCAG 3.1.2)."""
    texts = {
        _normal(text)[:MATCH_PREFIX]: source
        for source, text in crawl.german_texts
        if len(_normal(text)) >= MIN_MARKED_TEXT
    }
    assert texts, "the crawl collected no German texts"
    problems: dict[tuple[str, str], list[str]] = {}  # (kind of page, element) -> examples
    for page in crawl.html_pages():
        if not page.url.startswith("/en/"):
            continue
        document = lxml.html.document_fromstring(page.body)
        for dropped in document.xpath("//script|//style|//template"):
            dropped.drop_tree()
        body = document.body
        whole = _normal(body.text_content())
        for text, source in texts.items():
            if text not in whole:
                continue
            for holder in _smallest_holders(body, text):
                if not _has_german_ancestor(holder):
                    kind = re.sub(r"/[^/?]+", "/…", page.url.split("?")[0], count=0)[:30]
                    element = f"<{holder.tag} class={holder.get('class')!r}> in {source.split()[0]}"
                    problems.setdefault((kind, element), []).append(
                        f"{page.url} {text[:40]!r} ({source})"
                    )
    report = [
        f"{len(examples)}x {element} on {kind}, e.g. {examples[0]}"
        for (kind, element), examples in sorted(problems.items())
    ]
    assert not report, "German text without lang=de on /en/:\n" + "\n".join(report)
