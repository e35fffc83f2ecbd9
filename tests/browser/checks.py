"""What the browser tests check on a rendered page: accessibility (axe-core),
horizontal overflow, and screenshots for people to look at."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import screenshot_dir

_axe = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}


def axe_blocking_violations(page, context: str | None = None) -> list[str]:
    """Serious and critical axe-core violations on the page (or inside ``context``),
    each as one readable line naming the rule, the help text and the elements."""
    options = {"resultTypes": ["violations"]}
    results = _axe.run(page, context=context, options=options)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return lines


def horizontal_overflow(page) -> list[str]:
    """Elements that stick out to the right of the viewport (empty when the page
    does not scroll sideways)."""
    return page.evaluate(
        """() => {
          const root = document.documentElement;
          if (root.scrollWidth <= root.clientWidth) return [];
          const width = root.clientWidth;
          const culprits = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && box.width > 0) {
              const id = el.id ? '#' + el.id : '';
              const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
              culprits.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)}`);
            }
          }
          return [`scrollWidth ${root.scrollWidth} > clientWidth ${width}`, ...culprits.slice(0, 10)];
        }"""
    )


def save_screenshot(page, name: str, *, full_page: bool = True, locator=None) -> None:
    """Saves var/screenshots/<name>.png (overwritten on every run)."""
    path = screenshot_dir() / f"{name}.png"
    if locator is not None:
        locator.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full_page)
