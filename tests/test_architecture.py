"""The dependency rule, read from the import graph: ``core`` <- apps <- ``newsroom``.

Every ``.py`` file of ``core/`` and the apps is parsed with ``ast`` and every
import is checked, also the ones inside functions (a lazy import is still a
dependency). Migrations are excluded: they are history, and a data migration
may call the live roles table (``newsroom.roles``) on purpose.

The rules (docs/architecture.md):

1. ``core`` and the apps never import ``newsroom``, the composition root that
   wires them together (settings reach them through ``django.conf.settings``,
   which is not an import of ``newsroom``).
2. ``core`` imports no app of ours: what every app uses must not depend on one.
   Apps plug in through hooks (``core.pagecache.register_expiry_source``,
   ``core.views.register_navigation_source``) filled from ``AppConfig.ready()``.
3. ``articles`` imports neither ``comments`` nor ``ads``: those build on
   articles, never the other way round (the comments inline in the article admin
   and the ad slots on article pages are added by those apps).
4. An app imports another app only through its public modules:

   * ``models``: the data others point at (foreign keys, and the querysets that
     carry the one definition of "published");
   * ``services``: the writes, each with its permission check, audit entry and
     on-commit side effects, so no app re-implements another's state change;
   * ``selectors``: the reads with their query budgets;
   * ``signals``: the domain events another app reacts to (cache purges, ...);
   * ``extensions``: the extension points an app offers others (the article
     admin's inline list, the admin slug script media), filled from ``ready()``.

   Anything else (views, admin, forms, templatetags, helpers) is the owning
   app's internals and may change without notice. Submodules of these count
   as the module (``comments.services.posting`` once services is a package).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSITION_ROOT = "newsroom"
CORE = "core"
APPS = ("articles", "comments", "ads", "pages", "ticker")
PUBLIC_MODULES = frozenset({"models", "services", "selectors", "signals", "extensions"})
FORBIDDEN_PAIRS = {("articles", "comments"), ("articles", "ads"), ("articles", "ticker")}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in ``path``; ``from x import y`` gives
    ``x.y`` (y may be a module or a name in x, the rules below allow for both)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own = _module_name(path, root).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def _rule_broken(importer: str, imported: str) -> str | None:
    """Why ``importer`` (top-level package) may not import ``imported``, or None."""
    parts = imported.split(".")
    target = parts[0]
    if target == importer or target not in (COMPOSITION_ROOT, CORE, *APPS):
        return None
    if target == COMPOSITION_ROOT:
        return "imports the composition root newsroom"
    if importer == CORE:
        return f"core imports the app {target}"
    if target == CORE:
        return None
    if (importer, target) in FORBIDDEN_PAIRS:
        return f"{importer} imports {target}"
    if len(parts) < 2 or parts[1] not in PUBLIC_MODULES:
        return (
            f"{importer} imports {target}'s internals "
            f"(only {', '.join(sorted(PUBLIC_MODULES))} are public)"
        )
    return None


def violations(root: Path) -> list[str]:
    """Every import under ``root`` that breaks the rule, as "path:line: name: why"."""
    found = []
    for package in (CORE, *APPS):
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.relative_to(root).parts:
                continue
            for line, imported in _imported_modules(path, root):
                reason = _rule_broken(package, imported)
                if reason:
                    found.append(f"{path.relative_to(root)}:{line}: {imported}: {reason}")
    return found


def test_core_and_the_apps_follow_the_dependency_rule():
    assert violations(ROOT) == []


def test_the_rule_checks_every_package_it_names():
    for package in (CORE, *APPS, COMPOSITION_ROOT):
        assert (ROOT / package / "__init__.py").is_file(), package


@pytest.mark.parametrize(
    ("path", "source", "reason"),
    [
        ("core/helper.py", "from newsroom.roles import EDITOR\n", "composition root"),
        ("articles/views.py", "def view():\n    import newsroom.urls\n", "composition root"),
        ("core/pagecache.py", "def f():\n    from articles.models import Article\n", "core"),
        ("articles/admin.py", "from comments.models import Comment\n", "articles imports"),
        ("articles/selectors.py", "from ads import selectors\n", "articles imports"),
        ("comments/views.py", "from articles.forms import ArticleForm\n", "internals"),
        ("ads/demo.py", "from articles import images\n", "internals"),
        ("pages/admin.py", "import articles\n", "internals"),
        ("comments/services/posting.py", "from ..admin import x\n", None),
        ("ads/templatetags/ads.py", "from ...newsroom import roles\n", "composition root"),
    ],
)
def test_a_deliberate_violation_is_reported(tmp_path, path, source, reason):
    for package in (CORE, *APPS):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    file = tmp_path / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(source)
    found = violations(tmp_path)
    if reason is None:  # an app's relative import of its own module is fine
        assert found == []
    else:
        assert len(found) == 1 and reason in found[0], found


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("comments/models.py", "from articles.models import Article\n"),
        ("comments/apps.py", "def ready():\n    from articles.signals import article_changed\n"),
        ("ads/views.py", "from articles import selectors\nfrom core.ratelimit import enforce\n"),
        ("comments/x.py", "from articles.services.workflow import article_publish\n"),
        ("articles/selectors.py", "from pages.models import Page\n"),
        ("core/audit.py", "from django.conf import settings\n"),
        ("articles/migrations/0002_roles.py", "from newsroom.roles import sync_roles\n"),
    ],
)
def test_allowed_imports_pass(tmp_path, path, source):
    file = tmp_path / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(source)
    assert violations(tmp_path) == []
