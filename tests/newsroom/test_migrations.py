"""CI's migration check catches a model change that has no migration."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def makemigrations_check(
    extra_pythonpath: Path | None = None, settings: str = "newsroom.settings.base"
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": settings})
    if extra_pythonpath:
        env["PYTHONPATH"] = f"{extra_pythonpath}{os.pathsep}{ROOT}"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_project_has_no_missing_migrations():
    result = makemigrations_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_model_change_without_migration_fails_the_check(tmp_path):
    app = tmp_path / "driftapp"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    (app / "models.py").write_text(
        "from django.db import models\n\nclass Drift(models.Model):\n    name = models.CharField(max_length=10)\n"
    )
    (tmp_path / "drift_settings.py").write_text(
        textwrap.dedent(
            """
            from newsroom.settings.base import *  # noqa
            INSTALLED_APPS = [*INSTALLED_APPS, "driftapp"]
            """
        )
    )
    result = makemigrations_check(tmp_path, settings="drift_settings")
    assert result.returncode == 1
    assert "driftapp" in result.stdout


def test_ci_runs_the_migration_check_and_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "makemigrations --check --dry-run" in ci
    assert "make test" in ci
    assert "make test" in (ROOT / "README.md").read_text()
