"""``make run``: one command that brings the development site up.

Starts (or reuses) the embedded PostgreSQL and an embedded Redis (the cache
every process shares, ``newsroom.embedded_redis``), applies migrations, loads
the demo content on first start, then runs the task worker and the periodic
jobs (``newsroom.periodic``, every minute) next to Django's development server
and prints the URLs. Absolute links (mails, canonical, feeds, sitemaps) use the
address it listens on unless ``NEWSROOM_SITE_URL`` says otherwise. Ctrl-C stops
everything, the database and Redis included.
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


def site_url(host: str, port: str) -> str:
    """The address a browser on this machine opens for ``runserver host:port``."""
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)  # noqa: S104
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def child_commands(*, host: str, port: str) -> list[list[str]]:
    """The processes ``make run`` starts: task worker, periodic jobs (as cron would
    in production, see ``newsroom.periodic``), and the development web server."""
    manage = [sys.executable, "manage.py"]
    return [
        [*manage, "task_worker", "--interval", "1"],
        [sys.executable, "-m", "newsroom.periodic", "--interval", "60"],
        [*manage, "runserver", f"{host}:{port}"],
    ]


def with_periodic_interval(commands: list[list[str]], seconds: float) -> list[list[str]]:
    """``commands`` with the periodic loop's interval set to ``seconds`` (tests use 2)."""
    for command in commands:
        if "newsroom.periodic" in command:
            command[command.index("--interval") + 1] = f"{seconds:g}"
    return commands


def child_environment(command: list[str]) -> dict[str, str]:
    """The environment of one child process (this one's, plus what it needs).

    runserver handles every request in a new thread, and each thread opens its
    own database connection; with persistent connections (CONN_MAX_AGE > 0)
    Django closes one only on a later request of the same thread, which never
    comes, so PostgreSQL ran out of connections after some minutes of browsing.
    The web server therefore closes its connection after each request; the
    single-threaded worker and periodic jobs keep theirs.
    """
    env = dict(os.environ)
    if "runserver" in command:
        env["DATABASE_CONN_MAX_AGE"] = "0"
    return env


def _start(command: list[str]) -> subprocess.Popen:
    from newsroom.embedded_redis import _die_with_parent

    return subprocess.Popen(  # noqa: S603 - our own commands
        command,
        env=child_environment(command),
        # A process group of its own: runserver's auto-reloader is two processes,
        # and stopping the group stops both. Ctrl-C reaches this runner, which
        # stops every child; a killed runner takes them with it (PDEATHSIG).
        start_new_session=True,
        preexec_fn=_die_with_parent,  # no threads in this process: fork-safe
    )


def _stop_children(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            try:
                os.killpg(child.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=10)
        try:  # what is left of its group (runserver's reloaded server)
            os.killpg(child.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument(
        "--periodic-interval",
        type=float,
        default=60.0,
        help="Sekunden zwischen zwei Läufen der periodischen Aufgaben",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # Links in mails, feeds and sitemaps point where this server listens; an
    # explicit NEWSROOM_SITE_URL (e.g. a tunnel or a proxy in front) wins.
    os.environ.setdefault("NEWSROOM_SITE_URL", site_url(args.host, args.port))
    signal.signal(signal.SIGTERM, _stop)
    # Ctrl-C stops everything even when started from a script or an editor,
    # whose background jobs inherit SIGINT as ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    from newsroom import embedded_redis
    from newsroom.embedded_db import ensure_database_url

    ensure_database_url()  # this process holds the embedded server for the session
    children: list[subprocess.Popen] = []
    redis_process = None
    try:
        # Before django.setup(): the settings pick the cache from REDIS_URL.
        redis_url, redis_process = embedded_redis.ensure_redis_url()

        import django
        from django.core.management import call_command, get_commands

        django.setup()
        call_command("migrate", interactive=False, verbosity=1)
        if "seed_demo" in get_commands():
            from articles.models import Article

            if not Article.objects.exists():
                print("Erster Start: Demo-Inhalte werden angelegt …", flush=True)
                call_command("seed_demo")
        from django.db import connections

        connections.close_all()  # the children have their own

        commands = child_commands(host=args.host, port=args.port)
        for command in with_periodic_interval(commands, args.periodic_interval):
            children.append(_start(command))
        base = site_url(args.host, args.port)
        links = os.environ["NEWSROOM_SITE_URL"]
        print(
            f"\nnewsroom läuft:\n  Website:  {base}/\n  Admin:    {base}/admin/\n"
            f"  Health:   {base}/healthz\n"
            + (f"  Links:    {links}/ (NEWSROOM_SITE_URL)\n" if links != base else "")
            + f"  Mails:    var/mail/\n  Cache:    {redis_url}\n  Stoppen:  Strg+C\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        return next((c.returncode for c in children if c.returncode), 0)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop_children(children)
        embedded_redis.stop(redis_process)


if __name__ == "__main__":
    sys.exit(main())
