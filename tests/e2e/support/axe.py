"""axe-core checks for e2e journeys (issue 15 acceptance: no serious or critical violations).

axe-core comes with the `axe-playwright-python` package (pinned in requirements-dev.txt),
so no browser download or CDN is needed.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING_IMPACTS = ("serious", "critical")
_AXE = Axe()


def blocking_violations(page: Page, context: str | None = None) -> list[str]:
    """The serious and critical axe-core violations on the page as it is now.

    Each entry names the rule and the offending elements, so a failing assertion reads
    as a report. `context` limits the check to a CSS selector (default: the whole page).
    """
    results = _AXE.run(page, context=context).response
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(_describe(node) for node in violation["nodes"])
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def _describe(node: dict) -> str:
    """Where the problem is and axe's own explanation (e.g. the contrast ratio found)."""
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    reasons = " / ".join(check["message"] for check in checks if check.get("message"))
    return f"{', '.join(node['target'])} [{reasons}]"
