"""Every number in a request is parsed by ``core.parsing``; a hand-made parse fails here.

``"²".isdigit()`` is true and ``int("²")`` raises: a view that parses a query
string or form field by hand answers 500 for it. The guard below walks the
project's code and names every such place.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.parsing import MAX_ID, parse_id, parse_ids, parse_int

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ("ads", "articles", "comments", "newsroom", "pages")
ALLOWED_FILES = {ROOT / "newsroom" / "parsing.py"}

# What request data looks like in our code.
REQUEST_ATTRIBUTES = {"GET", "POST", "COOKIES", "META", "headers", "FILES", "body", "query_params"}
REQUEST_NAMES = {"request", "params"}
DIGIT_CHECKS = {"isdigit", "isdecimal", "isnumeric"}
NUMBER_CONSTRUCTORS = {"int", "float", "Decimal", "complex"}

AWKWARD_NUMBERS = ["²", "１", "٣", "-1", "+1", " 1", "1 ", "1_000", "1e3", "0x10", "", "1.0"]
HUGE_NUMBERS = ["9" * 19, "9" * 20, "9" * 5000]


def _mentions_request_data(node: ast.AST, tainted: set[str]) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and child.attr in REQUEST_ATTRIBUTES:
            return True
        if isinstance(child, ast.Name) and (child.id in REQUEST_NAMES or child.id in tainted):
            return True
    return False


def _assigned_names(target: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _tainted_names(function: ast.AST) -> set[str]:
    """Names a function assigns from request data (followed through reassignments)."""
    tainted: set[str] = set()
    changed = True
    while changed:
        changed = False
        for node in ast.walk(function):
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.AugAssign)):
                value = node.value
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            elif isinstance(node, (ast.For, ast.comprehension)):
                value, targets = node.iter, [node.target]
            else:
                continue
            if value is None or not _mentions_request_data(value, tainted):
                continue
            names = set().union(*(_assigned_names(t) for t in targets)) - tainted
            if names:
                tainted |= names
                changed = True
    return tainted


def hand_made_number_parses(source: str) -> list[tuple[int, str]]:
    """(line, what) for every ``.isdigit()``-style check and every ``int(<request data>)``."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    scopes = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    taint = {id(scope): _tainted_names(scope) for scope in scopes}
    for scope in [tree, *scopes]:
        tainted = taint.get(id(scope), set())
        body = scope.body if scope is tree else [scope]
        for statement in body:
            if scope is tree and isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue  # checked as its own scope
            for node in ast.walk(statement):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in DIGIT_CHECKS:
                    found.append((node.lineno, f".{func.attr}()"))
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in NUMBER_CONSTRUCTORS and any(
                    _mentions_request_data(arg, tainted) for arg in node.args
                ):
                    found.append((node.lineno, f"{name}(<request data>)"))
    return sorted(set(found))


def _project_files() -> list[Path]:
    files = []
    for folder in APP_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts and path not in ALLOWED_FILES:
                files.append(path)
    return files


# --- The guard ---------------------------------------------------------------------


def test_no_view_parses_a_request_number_by_hand():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _project_files()
        for line, what in hand_made_number_parses(path.read_text())
    ]
    assert offenders == [], "use core.parsing.parse_int/parse_id:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source",
    [
        "def v(request):\n    return int(request.GET['seite'])\n",
        "def v(request):\n    return int(request.POST.get('id', '0'))\n",
        "def v(request):\n    raw = request.GET.get('s', '')\n    return int(raw)\n",
        "def v(request):\n    raw = request.GET.get('s')\n    x = raw.strip()\n    return int(x)\n",
        "def v(request):\n    return [int(t) for t in request.GET.get('t', '').split('.')]\n",
        "def from_query(params):\n    return float(params.get('s'))\n",
        "def v(value):\n    return value.isdigit()\n",
        "def v(value):\n    return value.isdecimal()\n",
    ],
)
def test_the_guard_finds_hand_made_parses(source):
    assert hand_made_number_parses(source)


def test_the_guard_leaves_other_numbers_alone():
    source = (
        "def v(request, size):\n"
        "    count = int(size)\n"
        "    number = parse_int(request.GET.get('seite'), minimum=1)\n"
        "    return int(len('abc')), number, count\n"
    )
    assert hand_made_number_parses(source) == []


def test_the_guard_reads_every_app():
    files = {path.relative_to(ROOT).parts[0] for path in _project_files()}
    assert files == set(APP_DIRS)


# --- The parser --------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "1", "7", "42", "007", str(MAX_ID)])
def test_ascii_digits_are_numbers(value):
    assert parse_int(value) == int(value)


@pytest.mark.parametrize("value", [*AWKWARD_NUMBERS, *HUGE_NUMBERS[1:], None, 7, b"7", ["7"]])
def test_anything_but_ascii_digits_is_no_number(value):
    assert parse_int(value) is None


def test_numbers_outside_the_bounds_are_no_number():
    assert parse_int("0", minimum=1) is None
    assert parse_int("11", maximum=10) is None
    assert parse_int("10", minimum=1, maximum=10) == 10


def test_ids_start_at_one_and_fit_a_bigint_column():
    assert parse_id("0") is None
    assert parse_id("1") == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None


def test_id_lists_keep_the_valid_ids_only():
    assert parse_ids("3.².1e3.-1.4..１.5", separator=".", limit=50) == [3, 4, 5]
    assert parse_ids(".".join(["1"] * 100), separator=".", limit=50) == [1] * 50
    assert parse_ids("", separator=".", limit=50) == []
