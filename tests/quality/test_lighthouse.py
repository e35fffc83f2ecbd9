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
import logging
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

log = logging.getLogger(__name__)

# Runtime errors (the report's runtimeError.code; the CLI exits 1 after writing the report)
# that say nothing about the page: Lighthouse 12 (core/lib/lh-error.js) answers them with
# "Something went wrong with recording the trace over your page load. Please run
# Lighthouse again." or "An internal Chrome error occurred. Please restart Chrome and try
# re-running Lighthouse." Every run starts a new Chrome, so running again is the cure.
# Errors that describe the page (NO_FCP "did not paint any content", PAGE_HUNG "stopped
# responding", NO_SCREENSHOTS, ERRORED_DOCUMENT_REQUEST, NOT_HTML, ...) fail at once.
TRANSIENT_RUNTIME_ERRORS = frozenset(
    {
        "NO_TRACING_STARTED", "NO_RESOURCE_REQUEST", "NO_NAVSTART", "NO_DCL",  # the trace
        "TRACING_ALREADY_STARTED", "PARSING_PROBLEM", "READ_FAILED",  # inside Chrome
    }
)  # fmt: skip
RETRIES = 2


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
    return lighthouse_report(command, env={**os.environ, "CHROME_PATH": browser}, out=out)


def lighthouse_report(command: list[str], *, env: dict[str, str], out: Path) -> dict:
    """Run the Lighthouse CLI ``command`` and return the JSON report it writes to ``out``.

    Runs it again, at most RETRIES times and each time logged as a warning, while the
    report names a runtime error in TRANSIENT_RUNTIME_ERRORS. Fails the test on any other
    runtime error, on a run that writes no report, and when the retries are used up.
    Scores are the caller's business: a low one is never a reason to run again here.
    """
    for attempt in range(1, RETRIES + 2):
        out.unlink(missing_ok=True)  # a run that writes nothing must not pass off the last one's
        completed = subprocess.run(  # noqa: S603 - fixed arguments
            command, env=env, capture_output=True, text=True, timeout=300, check=False
        )
        report: dict | None = json.loads(out.read_text()) if out.exists() else None
        error: dict = (report or {}).get("runtimeError") or {}
        if error.get("code") not in TRANSIENT_RUNTIME_ERRORS or attempt > RETRIES:
            break
        log.warning(
            "Lighthouse runtime error %s (run %d of at most %d), running again: %s",
            error["code"], attempt, RETRIES + 1, error.get("message", ""),
        )  # fmt: skip
    assert completed.returncode == 0 and report is not None, (
        f"Lighthouse failed (exit {completed.returncode}, runtime error {error or None}, "
        f"{attempt} run(s)):\n{completed.stderr[-3000:]}"
    )
    return report


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
