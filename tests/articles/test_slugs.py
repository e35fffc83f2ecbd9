"""One slug function: German first, every script transliterated, the admin script agrees."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from articles.slugs import german_slugify, unique_slug
from tests.support.corpus import AWKWARD, NO_SLUG, SLUG_EXPECTED

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [
    ROOT / "articles/static/articles/admin/slug_table.js",
    ROOT / "articles/static/articles/admin/urlify_de.js",
]
TOOL = ROOT / "tools/build_slug_table.py"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What the script gets: every corpus text, the pinned examples, and each at the
# lengths the admin fields use (article 200, author 120, section 80, tag 100).
SCRIPT_CASES = [
    (text, length)
    for text in [*AWKWARD.values(), *SLUG_EXPECTED]
    for length in (200, 120, 100, 80, 7)
]


@pytest.mark.parametrize(("text", "expected"), SLUG_EXPECTED.items())
def test_slugs_transliterate_german_first_and_every_script(text, expected):
    assert german_slugify(text) == expected


@pytest.mark.parametrize("key", AWKWARD)
def test_every_corpus_text_gives_an_ascii_slug_or_none(key):
    slug = german_slugify(AWKWARD[key])
    if key in NO_SLUG:
        assert slug == ""
    else:
        assert SLUG.match(slug), slug
        assert len(slug) <= 200


def test_a_slug_without_letters_falls_back_to_the_given_word(db):
    from articles.models import Section

    assert unique_slug("🎉", queryset=Section.objects.all(), fallback="ressort") == "ressort"


def run_script_in_node(cases: list[tuple[str, int]]) -> list[str]:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node not found: apt-get install nodejs (the browser test covers Chromium)")
    program = "\n".join(
        [
            "const vm = require('vm'); const fs = require('fs');",
            "const window = {URLify: function() { return 'django'; }};",
            "const context = vm.createContext({window: window});",
            *(
                f"vm.runInContext(fs.readFileSync({json.dumps(str(path))}, 'utf8'), context);"
                for path in SCRIPTS
            ),
            "const cases = JSON.parse(fs.readFileSync(0, 'utf8'));",
            "process.stdout.write(JSON.stringify(cases.map(c => window.URLify(c[0], c[1], true))));",
        ]
    )
    result = subprocess.run(  # noqa: S603
        [node, "-e", program],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_admin_script_slugs_equal_the_servers_in_node():
    got = run_script_in_node(SCRIPT_CASES)
    expected = [german_slugify(text, max_length=length) for text, length in SCRIPT_CASES]
    mismatches = [
        (text[:40], length, js, py)
        for (text, length), js, py in zip(SCRIPT_CASES, got, expected, strict=True)
        if js != py and not (js == "" and _unknown_to_script(text))
    ]
    assert not mismatches


def _table_blocks() -> set[int]:
    spec = importlib.util.spec_from_file_location("build_slug_table", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return set(module.BLOCKS)


def _unknown_to_script(text: str) -> bool:
    """CJK/Hangul are not in the script's table: it leaves the slug to the server."""
    blocks = _table_blocks()
    return any(ord(c) <= 0xFFFF and ord(c) >> 8 not in blocks for c in text)


def test_script_leaves_the_slug_to_the_server_for_unknown_scripts():
    # An empty prepopulated slug is filled on save by the same Python function.
    assert run_script_in_node([("北京", 200)]) == [""]


def test_the_scripts_table_is_generated_from_the_installed_text_unidecode():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "tools/build_slug_table.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.browser
def test_admin_script_slugs_equal_the_servers_in_chromium():
    from tests.browser.conftest import launched_chromium

    with launched_chromium() as browser:
        page = browser.new_page()
        page.set_content("<!DOCTYPE html><title>slug</title>")
        page.evaluate("window.URLify = function() { return 'django'; }")
        for path in SCRIPTS:
            page.add_script_tag(content=path.read_text())
        got = page.evaluate(
            "cases => cases.map(c => window.URLify(c[0], c[1], true))", SCRIPT_CASES
        )
        page.close()
    expected = [german_slugify(text, max_length=length) for text, length in SCRIPT_CASES]
    mismatches = [
        (text[:40], length, js, py)
        for (text, length), js, py in zip(SCRIPT_CASES, got, expected, strict=True)
        if js != py and not (js == "" and _unknown_to_script(text))
    ]
    assert not mismatches


def test_every_admin_with_a_prepopulated_slug_loads_the_sites_slug_script(client, superuser):
    """Else Django's URLify fills "burger" for "Bürger" (the pages admin did)."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    client.force_login(superuser)
    request = RequestFactory().get("/")
    request.user = superuser
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.get_prepopulated_fields(request):
            continue
        opts = model._meta
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        scripts = re.findall(r'<script src="[^"]*/([^/"]+\.js)"', page.text)
        assert "urlify_de.js" in scripts, (opts.label, scripts)
        order = [scripts.index(name) for name in ("urlify.js", "slug_table.js", "urlify_de.js")]
        assert order == sorted(order), (opts.label, scripts)
        checked.append(opts.label)
    assert {"articles.Article", "articles.Section", "pages.Page", "taggit.Tag"} <= set(checked)
