"""A day is a day in Berlin: no code and no test takes the UTC date of a moment.

Timestamps are stored in UTC; days (archives, reports, "heute", planning weeks) are local
(``TIME_ZONE``, Europe/Berlin). ``moment.date()`` on an aware datetime gives the UTC day,
which is the day before between midnight and 1 or 2 a.m. in Berlin: two tests failed
only in that hour before this check existed (a transparency report, a desk journey).

Every ``.py`` file of the project and its tests is parsed; a ``.date()`` call is refused
when its receiver is ``timezone.now()`` / ``datetime.now(...)`` or a field named like a
moment (``…_at``, ``…_until``, ``now``). ``timezone.localdate(moment)`` or
``timezone.localtime(moment).date()`` say which day is meant.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("articles", "comments", "ads", "core", "newsroom", "ticker", "tests")
MOMENT_SUFFIXES = ("_at", "_until")


def _is_moment(node: ast.expr) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "localtime":
            return False  # timezone.localtime(x): a local moment, its date is local
        return node.func.attr == "now"  # timezone.now(), datetime.now(UTC)
    name = (
        node.attr
        if isinstance(node, ast.Attribute)
        else node.id
        if isinstance(node, ast.Name)
        else ""
    )
    return name == "now" or name.endswith(MOMENT_SUFFIXES)


def _utc_days(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "date"
            and not node.args
            and _is_moment(node.func.value)
        ):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_code_takes_the_utc_date_of_a_moment():
    files = [
        path
        for package in PACKAGES
        if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(files) > 100  # the walk found the project
    found = [line for path in files for line in _utc_days(path)]
    assert found == [], "use timezone.localdate(moment):\n" + "\n".join(found)


def test_the_check_recognises_a_utc_date_and_accepts_a_local_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.utils import timezone\n"
        "a = comment.created_at.date()\n"
        "b = timezone.now().date()\n"
        "c = timezone.localtime(comment.created_at).date()\n"
        "d = timezone.localdate(comment.created_at)\n"
        "e = row.day.date()\n"
    )
    found = _utc_days(sample)
    assert [line.split(": ", 1)[1] for line in found] == [
        "comment.created_at.date()",
        "timezone.now().date()",
    ]
