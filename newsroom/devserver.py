"""``make run``: one command that brings the development site up.

Starts (or reuses) the embedded PostgreSQL, applies migrations, loads the demo
content on first start, then runs the task worker and the periodic jobs
(``newsroom.periodic``, every minute) next to Django's development server and
prints the URLs. Ctrl-C stops everything, the database included.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time


def _stop(signum, frame):  # noqa: ARG001
    raise SystemExit(0)


def child_commands(*, host: str, port: str) -> list[list[str]]:
    """The processes ``make run`` starts: task worker, periodic jobs (as cron would
    in production, see ``newsroom.periodic``), and the development web server."""
    manage = [sys.executable, "manage.py"]
    return [
        [*manage, "task_worker", "--interval", "1"],
        [sys.executable, "-m", "newsroom.periodic", "--interval", "60"],
        [*manage, "runserver", f"{host}:{port}"],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    from newsroom.embedded_db import ensure_database_url

    ensure_database_url()  # this process holds the embedded server for the session
    signal.signal(signal.SIGTERM, _stop)

    import django
    from django.core.management import call_command, get_commands

    django.setup()
    call_command("migrate", interactive=False, verbosity=1)
    if "seed_demo" in get_commands():
        from articles.models import Article

        if not Article.objects.exists():
            print("Erster Start: Demo-Inhalte werden angelegt …", flush=True)
            call_command("seed_demo")

    children: list[subprocess.Popen] = []
    try:
        for command in child_commands(host=args.host, port=args.port):
            children.append(subprocess.Popen(command))  # noqa: S603
        base = f"http://{args.host}:{args.port}"
        print(
            f"\nnewsroom läuft:\n  Website:  {base}/\n  Admin:    {base}/admin/\n"
            f"  Health:   {base}/healthz\n  Mails:    var/mail/\n  Stoppen:  Strg+C\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next((c.returncode for c in children if c.returncode), 0)
    except KeyboardInterrupt:
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
