"""Lighthouse (the npm package, pinned in package-lock.json) on the production-shaped demo
site: home, an article, a section and a search, as a phone (Lighthouse's default mobile
emulation with simulated throttling) and a desktop, scores at least 98 in performance,
accessibility, best practices and SEO.

Runs Debian's Chromium (``CHROME_PATH``). One exception, on purpose: search result pages
are ``noindex`` (and robots.txt disallows them: endless query variants must not be
indexed, tests/reader/test_search.py), so Lighthouse's "is-crawlable" audit, which
asks for an indexable page, is skipped for the search page only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # noqa: S404 - the pinned Lighthouse CLI
from pathlib import Path

import pytest

from tests.quality.conftest import chromium_path
from tests.support.servers import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = 0.98
PAGES = ("home", "article", "section", "search")
FORM_FACTORS = ("mobile", "desktop")


def run_lighthouse(
    url: str,
    *,
    form_factor: str,
    out: Path,
    skip: tuple[str, ...] = (),
    cpu_slowdown: float | None = None,
) -> dict:
    node = shutil.which("node")
    browser = chromium_path()
    if node is None or browser is None:
        pytest.skip("Lighthouse needs node and Chromium (apt-get install nodejs chromium)")
    assert LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing: run `make vnu` (npm ci, needs npm)"
    command = [
        node, str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}", "--max-wait-for-load=60000",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    if skip:
        command.append(f"--skip-audits={','.join(skip)}")
    if cpu_slowdown is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}")
    env = {**os.environ, "CHROME_PATH": browser}
    completed = subprocess.run(  # noqa: S603 - fixed arguments
        command, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0 and out.exists(), completed.stderr[-3000:]
    return json.loads(out.read_text())


def shortfalls(report: dict) -> list[str]:
    """Each category under the minimum, with the audits that cost it points."""
    lines = []
    for key in CATEGORIES:
        category = report["categories"][key]
        if category["score"] is not None and category["score"] >= MINIMUM:
            continue
        audits = [
            f"{ref['id']} ({report['audits'][ref['id']]['score']}: "
            f"{report['audits'][ref['id']].get('displayValue', '')})"
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and report["audits"][ref["id"]]["score"] is not None
            and report["audits"][ref["id"]]["score"] < 1
        ]
        lines.append(f"{key} {category['score']}: {', '.join(audits)}")
    return lines


# Lighthouse's CPU throttling (4x for mobile) assumes a machine with a benchmark index of
# about 1000; on a slower or busier machine (CI shares its cores) the same page measures
# slower. As Lighthouse's throttling documentation advises, the multiplier is scaled to
# the machine's own benchmark index when a run's performance falls short, and the median
# of three runs counts.
REFERENCE_BENCHMARK_INDEX = 1000
MOBILE_CPU_SLOWDOWN = 4
REPORTS = ROOT / "var" / "quality"


def calibrated(report: dict) -> float | None:
    """The CPU slowdown that matches this machine, or None when the default is right."""
    index = report.get("environment", {}).get("benchmarkIndex") or REFERENCE_BENCHMARK_INDEX
    if index >= REFERENCE_BENCHMARK_INDEX:
        return None
    return round(max(1.0, MOBILE_CPU_SLOWDOWN * index / REFERENCE_BENCHMARK_INDEX), 2)


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_scores_at_least_98_in_every_category(production_site, page, form_factor):
    skip = ("is-crawlable",) if page == "search" else ()
    url = production_site.url(production_site.pages[page])
    REPORTS.mkdir(parents=True, exist_ok=True)
    out = REPORTS / f"lighthouse-{page}-{form_factor}.json"
    report = run_lighthouse(url, form_factor=form_factor, out=out, skip=skip)
    assert report["finalDisplayedUrl"].startswith(production_site.base), report["finalDisplayedUrl"]
    failures = shortfalls(report)
    if any(f.startswith("performance") for f in failures):
        # Performance varies between runs on a shared machine: as Lighthouse CI does, the
        # median of three runs counts (with the CPU slowdown matched to this machine).
        slowdown = calibrated(report) if form_factor == "mobile" else None
        runs = [report] + [
            run_lighthouse(url, form_factor=form_factor, out=out, skip=skip, cpu_slowdown=slowdown)
            for _ in range(2)
        ]
        runs.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
        report = runs[1]
        out.write_text(json.dumps(report))
        failures = shortfalls(report)
    assert not failures, f"{page} ({form_factor}) {url}, report {out}:\n" + "\n".join(failures)
