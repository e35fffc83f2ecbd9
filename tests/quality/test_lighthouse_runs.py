"""How the Lighthouse gate treats a failed Lighthouse run, without Chromium: a stand-in CLI
writes the reports of a script of runs, shaped as Lighthouse 12.2 writes them (a runtime
error: the report is written, every category scores null, the CLI exits 1)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from tests.quality.test_lighthouse import (
    CATEGORIES,
    TRANSIENT_RUNTIME_ERRORS,
    lighthouse_report,
    shortfalls,
)

# The Lighthouse CLI's contract as the gate uses it: the report at --output-path, exit 1
# when it names a runtime error (lighthouse/cli/run.js). Each run takes the next report
# of the script; "no report" stands for a run that dies before writing one.
STAND_IN = """
import json, sys
from pathlib import Path
out, script = Path(sys.argv[1]), Path(sys.argv[2])
runs = json.loads(script.read_text())
report = runs.pop(0)
script.write_text(json.dumps(runs))
if report == "no report":
    sys.exit("Unable to connect to Chrome")
out.write_text(json.dumps(report))
sys.exit(1 if report.get("runtimeError") else 0)
"""

MESSAGES = {
    "trace": "Something went wrong with recording the trace over your page load. "
    "Please run Lighthouse again. ({code})",
    "chrome": "An internal Chrome error occurred. Please restart Chrome and try re-running "
    "Lighthouse.",
    "page": "Lighthouse was unable to reliably load the page you requested. ({code})",
}


def report(*, score: float | None = 1.0, runtime_error: str | None = None) -> dict:
    """A report as Lighthouse 12.2.3 writes it, cut down to one audit per category."""
    audit_score = None if runtime_error else score
    lhr: dict = {
        "lighthouseVersion": "12.2.3",
        "requestedUrl": "http://127.0.0.1:8000/",
        "finalDisplayedUrl": "http://127.0.0.1:8000/",
        "environment": {"benchmarkIndex": 1200},
        "audits": {
            f"{key}-audit": {
                "id": f"{key}-audit",
                "score": audit_score,
                "scoreDisplayMode": "error" if runtime_error else "numeric",
                "displayValue": "",
            }
            for key in CATEGORIES
        },
        "categories": {
            key: {
                "id": key,
                "score": None if runtime_error else score,
                "auditRefs": [{"id": f"{key}-audit", "weight": 1}],
            }
            for key in CATEGORIES
        },
    }
    if runtime_error:
        kind = "trace" if runtime_error.startswith("NO_") else "chrome"
        if runtime_error not in TRANSIENT_RUNTIME_ERRORS:
            kind = "page"
        lhr["runtimeError"] = {
            "code": runtime_error,
            "message": MESSAGES[kind].format(code=runtime_error),
        }
    return lhr


def run(tmp_path: Path, runs: list) -> dict:
    """lighthouse_report over the stand-in CLI taking ``runs`` in turn."""
    (tmp_path / "runs.json").write_text(json.dumps(runs))
    command = [
        sys.executable,
        "-c",
        STAND_IN,
        str(tmp_path / "report.json"),
        str(tmp_path / "runs.json"),
    ]
    return lighthouse_report(command, env={}, out=tmp_path / "report.json")


def runs_left(tmp_path: Path) -> list:
    left: list = json.loads((tmp_path / "runs.json").read_text())
    return left


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.mark.parametrize("code", sorted(TRANSIENT_RUNTIME_ERRORS))
def test_a_run_spoilt_by_chrome_is_run_again_and_logged(tmp_path, caplog, code):
    caplog.set_level(logging.WARNING)
    good = report(score=0.99)
    assert run(tmp_path, [report(runtime_error=code), good, report(score=0.1)]) == good
    assert runs_left(tmp_path) == [report(score=0.1)]  # one retry, no more
    (warning,) = warnings(caplog)
    assert code in warning and "run 1 of at most 3" in warning


def test_a_run_is_retried_at_most_twice(tmp_path, caplog):
    runs = [report(runtime_error="NO_NAVSTART")] * 3 + [report()]
    with pytest.raises(AssertionError, match="NO_NAVSTART.*3 run"):
        run(tmp_path, runs)
    assert runs_left(tmp_path) == [report()]
    assert len(warnings(caplog)) == 2


@pytest.mark.parametrize(
    "code", ["NO_FCP", "PAGE_HUNG", "NO_SCREENSHOTS", "ERRORED_DOCUMENT_REQUEST", "NOT_HTML"]
)
def test_a_runtime_error_about_the_page_fails_at_once(tmp_path, caplog, code):
    with pytest.raises(AssertionError, match=code):
        run(tmp_path, [report(runtime_error=code), report()])
    assert runs_left(tmp_path) == [report()]
    assert not warnings(caplog)


def test_a_run_without_a_report_fails_at_once(tmp_path):
    with pytest.raises(AssertionError, match="Unable to connect to Chrome"):
        run(tmp_path, ["no report", report()])
    assert runs_left(tmp_path) == [report()]


def test_a_score_under_the_minimum_is_not_run_again_and_is_named(tmp_path, caplog):
    low = report(score=0.9)
    result = run(tmp_path, [low, report()])
    assert result == low and runs_left(tmp_path) == [report()]
    assert shortfalls(result) == [f"{key} 0.9: {key}-audit (0.9: )" for key in CATEGORIES]
    assert not warnings(caplog)


def test_a_report_left_by_an_earlier_run_is_not_taken_for_a_new_one(tmp_path):
    runs = [report(runtime_error="NO_NAVSTART"), "no report", report()]
    with pytest.raises(AssertionError, match="Unable to connect to Chrome"):
        run(tmp_path, runs)
    assert runs_left(tmp_path) == [report()]
