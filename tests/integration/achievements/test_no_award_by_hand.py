"""No route, handler or service argument can award or reset a badge (§4.7.5).

The writers (`evaluate`, `evaluate_users`, the like counter, the backfill) are reached
only from services whose events they evaluate and from the operator's command; none
takes a badge, a points value or a completion. The dynamic proof, every public handler
called with crafted arguments, is tests/security/test_no_award_by_hand.py.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import citypulse
import citypulse.services.achievements as achievements

CLIENT_FACING = ("state", "pages", "components", "api")
WRITERS = ("evaluate(", "evaluate_users", "count_like", "achievements_backfill",
           "achievements.evaluate", "achievements.backfill", "achievements.likes")  # fmt: skip
BADGE_PARAMETERS = {"achievement", "achievement_id", "achievement_ids", "badge", "code",
                    "points", "completed", "completed_at", "progress", "threshold"}  # fmt: skip


def test_no_client_facing_module_reaches_a_writer() -> None:
    root = Path(citypulse.__file__).parent
    offenders = [
        f"{path.relative_to(root)}: {writer}"
        for folder in CLIENT_FACING
        for path in sorted((root / folder).rglob("*.py"))
        for writer in WRITERS
        if writer in path.read_text()
    ]
    assert not offenders


def test_no_achievement_service_takes_a_badge_or_a_score() -> None:
    checked = 0
    for module_info in pkgutil.iter_modules(achievements.__path__):
        module = importlib.import_module(f"{achievements.__name__}.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            checked += 1
            taken = set(inspect.signature(function).parameters) & BADGE_PARAMETERS
            assert not taken, f"{module.__name__}.{name} takes {taken}"
    assert checked >= 8  # the walk really saw the package's services
