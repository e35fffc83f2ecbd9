"""Containers and services as files in the repository: the Dockerfile, compose.yaml, the
systemd units and timers (deploy/), and `pip install .`. What can run here runs: the
compose file is parsed, every command the image, compose and the units start exists, the
units pass `systemd-analyze verify`, and a wheel built from the checkout serves templates,
static files and catalogues from a fresh virtualenv. (No Docker daemon here: the image
itself is built by CI or the operator, docs/deployment.md, "Containers".)"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess  # noqa: S404 - systemd-analyze, pip and the installed package
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

from newsroom.periodic import JOBS
from tests.support.nginx import COMPOSE_CONFIG, compose_config

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
APP_SERVICES = {"migrate", "web", "worker", "periodic", "daily"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _dockerfile_cmd() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return json.loads(re.findall(r"^CMD (\[.*\])$", text, flags=re.M)[-1])


def _compose_commands(compose: dict) -> list[list[str]]:
    commands = []
    for name in APP_SERVICES:
        command = compose["services"][name]["command"]
        commands.append(command if isinstance(command, list) else shlex.split(command))
    return commands


def _unit_commands() -> list[list[str]]:
    commands = []
    for unit in sorted(UNITS.glob("*.service")):
        text = unit.read_text().replace("\\\n", " ")
        for line in re.findall(r"^ExecStart=(.*)$", text, flags=re.M):
            commands.append(shlex.split(line))
    return commands


def _timer_jobs() -> list[str]:
    return sorted(
        p.name.removeprefix("newsroom-job@").removesuffix(".timer")
        for p in UNITS.glob("newsroom-job@*.timer")
    )


def _assert_runs_here(command: list[str]) -> None:
    """A command the image or a unit starts names something this code base has."""
    joined = " ".join(command)
    for name in re.findall(r"manage\.py (\w+)", joined):
        assert name in get_commands(), f"{joined}: no management command {name}"
    if "%i" in joined:  # newsroom-job@.service: the timers name the commands
        return
    program = Path(command[0]).name
    if program == "gunicorn":
        module = next(arg for arg in command[1:] if not arg.startswith("-"))
        assert importlib.util.find_spec(module) is not None, module
        assert shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    elif program.startswith("python") and command[1] == "-m":
        spec = importlib.util.find_spec(command[2])
        assert spec is not None and "def main(" in Path(spec.origin).read_text(), command[2]
    elif program not in {"sh", "python"} and not program.startswith("python"):
        raise AssertionError(f"unknown entry point {joined}")


def test_the_image_is_slim_runs_unprivileged_and_collects_static_files_at_build():
    text = (ROOT / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert bases and all("slim" in base for base in bases)
    assert re.search(r"^USER newsroom$", text, flags=re.M)
    assert "--require-hashes -r requirements.txt" in text
    assert "manage.py collectstatic --noinput" in text
    assert "pybabel compile --domain django " in text and "--domain djangojs" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", "node_modules"} <= set(ignored)


def test_compose_runs_every_process_with_postgres_redis_and_nginx(compose):
    services = compose["services"]
    assert set(services) == APP_SERVICES | {"db", "redis", "redis-counters", "nginx"}
    for name in APP_SERVICES:
        assert services[name]["build"] == "."  # one image for every process
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["REDIS_COUNTERS_URL"] == "redis://redis-counters:6379/0"
        assert "media:/srv/newsroom-media" in services[name]["volumes"]
    for name in APP_SERVICES - {"migrate"}:
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert "allkeys-lru" in services["redis"]["command"]  # pages: may evict
    assert "noeviction" in services["redis-counters"]["command"]  # counters: never
    assert services["db"]["image"].startswith("postgres:")
    mounts = services["nginx"]["volumes"]
    assert "./deploy/compose/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in mounts


def test_compose_nginx_is_the_documented_configuration():
    assert COMPOSE_CONFIG.read_text() == compose_config(), (
        "deploy/compose/nginx.conf differs from docs/deployment.md's nginx block: "
        "python -m tests.support.nginx > deploy/compose/nginx.conf"
    )


def test_every_command_the_image_compose_and_units_start_exists(compose):
    commands = [_dockerfile_cmd(), *_compose_commands(compose), *_unit_commands()]
    assert len(commands) > 8
    for command in commands:
        _assert_runs_here(command)
    for job in _timer_jobs():
        assert job in get_commands(), f"newsroom-job@{job}.timer: no such command"


def test_every_periodic_job_has_a_timer():
    assert {command for command, _interval in JOBS} <= set(_timer_jobs())


def test_systemd_units_and_timers_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (Debian: apt-get install systemd)")
    # The units name /srv/newsroom/.venv (docs/deployment.md); verify checks that the
    # programs exist, so they point at this virtualenv's for the check.
    bin_dir = Path(sys.executable).parent
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/srv/newsroom/.venv/bin/", f"{bin_dir}/")
        (tmp_path / unit.name).write_text(text)
    names = [p.name for p in sorted(tmp_path.iterdir()) if "@." not in p.name]
    names += ["newsroom-worker@1.service"]
    names += [f"newsroom-job@{job}.service" for job in _timer_jobs()]
    result = subprocess.run(  # noqa: S603
        [analyze, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@pytest.mark.slow  # builds a wheel and a virtualenv
def test_pip_install_builds_a_wheel_that_serves_templates_static_files_and_catalogues(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "var",
            "node_modules",
            "build",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
        ),
    )
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    subprocess.run(  # noqa: S603
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("newsroom-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "manage.py",
        "newsroom/settings/base.py",
        "articles/migrations/0001_initial.py",
        "articles/templates/admin/articles/article/change_form.html",
        "templates/base.html",
        "templates/includes/teasers.jinja",
        "templates/sitemaps/sitemap_index.xml",
        "static/css/site.css",
        "locale/en/LC_MESSAGES/django.po",
        "core/demo_fonts/DejaVuSans-Bold.ttf",
    ):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("tests/", "tools/", "node_modules/"))]

    # A fresh virtualenv with the wheel; its dependencies from this one (no downloads).
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(  # noqa: S603
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(  # noqa: S603
        [*pip, "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import django, newsroom, pathlib; django.setup()\n"
        "from django.conf import settings\n"
        "from django.template.loader import get_template\n"
        "from django.contrib.staticfiles import finders\n"
        "assert pathlib.Path(newsroom.__file__).is_relative_to(pathlib.Path(settings.BASE_DIR))\n"
        "get_template('base.html'); get_template('admin/articles/article/change_form.html')\n"
        "get_template('comments/partials/comments.jinja', using='jinja2')\n"
        "assert finders.find('css/site.css')\n"
        "assert (settings.BASE_DIR / 'locale' / 'en' / 'LC_MESSAGES' / 'django.po').exists()\n"
        "print(newsroom.__file__)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
        "DJANGO_DEBUG": "1",
        "PYTHONPATH": "",
    }
    result = subprocess.run(  # noqa: S603
        [python, "-c", probe],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(site)  # the installed copy, not the checkout
    commands = subprocess.run(  # noqa: S603
        [env_dir / "bin" / "newsroom", "help", "--commands"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert commands.returncode == 0, commands.stderr
    assert {"task_worker", "backup", "restore", "migrate"} <= set(commands.stdout.split())
