"""The checks a contributor runs are the checks CI runs (pre-commit, make, .ci/run)."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

# What CI runs before the tests, as the command each check is started with.
CI_CHECKS = [
    ".venv/bin/ruff check .",
    ".venv/bin/ruff format --check .",
    ".venv/bin/mypy",
    "makemigrations --check --dry-run",
]


def _ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]


def test_ci_runs_the_type_check_after_lint_and_before_the_tests():
    lines = _ci_lines()
    position = {
        check: next(i for i, line in enumerate(lines) if check in line) for check in CI_CHECKS
    }
    tests = next(i for i, line in enumerate(lines) if line == "make test")
    assert position[".venv/bin/ruff format --check ."] < position[".venv/bin/mypy"] < tests


def test_pre_commit_runs_every_check_that_ci_runs_with_the_project_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    # Only local hooks: nothing is downloaded from a hook repository.
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert all(hook["language"] == "system" for hook in hooks)
    entries = [hook["entry"] for hook in hooks]
    for check in CI_CHECKS:
        assert any(check in entry for entry in entries), f"pre-commit does not run {check!r}"
    # Whole-tree checks, as in CI, not only the staged files.
    assert all(hook.get("pass_filenames") is False for hook in hooks)


def test_the_type_check_settings_load_without_a_database_url():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings.typecheck"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); from articles.models import Article"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
