"""`make bench` scenario for live tickers (issue 20): the update endpoint under many clients.

``tests/benchmarks/run.py`` calls it in the "page cache" pass (the endpoint is meant
to be served from the page cache) with that server's environment: the editor's entries
must purge the same Redis the server's page cache lives in.

Two results, named as the other rows of the table:

- ``ticker updates, 304`` (scenario "page cache"): every client polls an unchanged ticker with
  the ETag it holds (``If-None-Match``), as thousands of open tabs do between entries.
- ``ticker updates, editor posting`` (scenario "page cache"): the same while an editor adds an
  entry every two seconds; each client keeps the ETag of its last 200 (wrk keeps one per
  thread), so every change costs each client one 200 and the page cache one render.

Without wrk a small Python client does the same (one ETag per connection).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.support.servers import ROOT

OUT_DIR = ROOT / "var" / "bench"
TICKER_SLUG = "bench-liveticker"
ENTRIES = 60
POST_EVERY_SECONDS = 2.0

# Run with `manage.py shell -c`: a published ticker with ENTRIES entries (idempotent);
# prints its update URL path.
PREPARE = f"""
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from articles.models import Article, Section
from ticker import services
from ticker.models import Ticker
User = get_user_model()
editor, _ = User.objects.get_or_create(username="bench-ticker", defaults={{"is_staff": True, "is_superuser": True}})
article = Article.objects.filter(slug="{TICKER_SLUG}").first()
if article is None:
    now = timezone.now()
    article = Article.objects.create(
        headline="Bench: der Liveticker", slug="{TICKER_SLUG}", lead="Last auf dem Ticker.",
        body="<p>Last.</p>", section=Section.objects.order_by("pk").first(),
        status=Article.Status.PUBLISHED, go_live_at=now - timedelta(hours=2),
        first_published_at=now - timedelta(hours=2),
    )
ticker = services.ticker_start(user=editor, article=article)
missing = {ENTRIES} - ticker.entries.count()
start = timezone.now() - timedelta(hours=1)
for number in range(max(0, missing)):
    services.entry_add(user=editor, ticker=ticker, body=f"<p>Eintrag {{number}}: Wahlbezirk für Wahlbezirk wird ausgezählt.</p>", time=start + timedelta(seconds=number))
print("/liveticker/%d/" % ticker.pk)
"""

# Run with `manage.py shell -c`: post an entry every POST_EVERY_SECONDS until killed.
POSTER = f"""
import time
from django.contrib.auth import get_user_model
from ticker import services
from ticker.models import Ticker
editor = get_user_model().objects.get(username="bench-ticker")
ticker = Ticker.objects.get(article__slug="{TICKER_SLUG}")
number = 0
while True:
    number += 1
    services.entry_add(user=editor, ticker=ticker, body=f"<p>Neu im Bench {{number}}.</p>")
    time.sleep({POST_EVERY_SECONDS})
"""

POLL_LUA = """
local path = "{path}"
local etag = {etag}
request = function()
  if etag then
    return wrk.format("GET", path, {{["If-None-Match"] = etag}})
  end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  if status == 200 then
    etag = headers["ETag"] or headers["etag"]
  end
end
"""


def _manage_shell(code: str, *, env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def _editor_posting(env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", POSTER],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _etag(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        response.read()
        return response.headers["ETag"]


def _poll_with_python(url: str, *, etag: str, duration: int, connections: int) -> dict:
    """``connections`` threads polling with keep-alive, each keeping its own ETag."""
    parts = urllib.parse.urlsplit(url)
    latencies: list[float] = []
    counts = {"200": 0, "304": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def worker() -> None:
        mine: list[float] = []
        held = etag
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", parts.path, headers={"If-None-Match": held})
                response = conn.getresponse()
                response.read()
            except Exception:  # noqa: BLE001 - counted, connection renewed
                with lock:
                    counts["errors"] += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                continue
            mine.append(time.perf_counter() - started)
            with lock:
                if response.status == 200:
                    counts["200"] += 1
                    held = response.headers.get("ETag", held)
                elif response.status == 304:
                    counts["304"] += 1
                else:
                    counts["errors"] += 1
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": counts["errors"],
        "requests": len(latencies),
        "responses_200": counts["200"],
        "responses_304": counts["304"],
    }


def _poll(url: str, path: str, etag: str, args: argparse.Namespace) -> dict:
    if shutil.which("wrk") and not getattr(args, "python_client", False):
        from tests.benchmarks.run import run_wrk

        script = OUT_DIR / "ticker_poll.lua"
        script.parent.mkdir(parents=True, exist_ok=True)
        escaped = etag.replace("\\", "\\\\").replace('"', '\\"')
        script.write_text(POLL_LUA.format(path=path, etag=f'"{escaped}"'))
        return run_wrk(
            url,
            duration=args.duration,
            connections=args.connections,
            threads=args.threads,
            script=Path(script),
        )
    return _poll_with_python(url, etag=etag, duration=args.duration, connections=args.connections)


def measure_ticker_updates(
    base: str, args: argparse.Namespace, results: dict, env: dict[str, str]
) -> None:
    """Measure the ticker's update endpoint (see the module docstring) into ``results``.

    ``args`` needs ``duration``, ``connections`` and ``threads`` (and may have
    ``python_client``), as ``run.py``'s parser gives them.
    """
    env = {**env, "DJANGO_DEBUG": "1"}  # manage.py shell: no production secret checks
    path = _manage_shell(PREPARE, env=env)
    url = base + path
    etag = _etag(url)
    for page, posting in (
        ("ticker updates, 304", False),
        ("ticker updates, editor posting", True),
    ):
        name = (page, "page cache")  # a row of run.py's table: (page, scenario)
        context = _editor_posting(env) if posting else contextlib.nullcontext()
        with context:
            stats = _poll(url, path, etag, args)
        stats["url"] = path
        stats["page"], stats["scenario"] = name
        results[name] = stats
        print(
            f"  {page:<34} {stats['rps']:8.0f} req/s  p50 {stats['p50_ms']:6.1f} ms"
            f"  p99 {stats['p99_ms']:6.1f} ms"
        )
