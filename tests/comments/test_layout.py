"""The comments app's layout: services by sub-domain behind one public API, policy apart."""

from __future__ import annotations

import ast
from pathlib import Path

from comments import policy, services

COMMENTS = Path(__file__).resolve().parents[2] / "comments"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_services_package_exports_exactly_its_public_api():
    assert sorted(services.__all__) == sorted(set(services.__all__))
    for name in services.__all__:
        assert getattr(services, name) is not None
    assert services.comment_post.__module__ == "comments.services.posting"
    assert services.RateLimited is policy.RateLimited


def test_policy_and_selectors_do_not_import_the_services():
    for module in ("policy.py", "selectors.py"):
        imported = _imports(COMMENTS / module)
        assert not any(name.startswith("comments.services") for name in imported), module
    assert "comments.policy" in _imports(COMMENTS / "selectors.py")
