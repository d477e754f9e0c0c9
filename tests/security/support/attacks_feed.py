"""Attacks on the feed handlers (/dashboard): paging, tabs, the pill and the card actions.

The intruder's feed never holds the owner's private recommendation, so every card action
aimed at it (like, save, share, report, opening its report dialog) is refused before any
service runs, and the owner's rows stay as they were; odd tabs, windows, chips and
cursors are refused or restart the intruder's own list. Nothing here may send the
owner's private title (checked on every frame by the tier).
"""

from __future__ import annotations

from tests.security.support.attacks_accounts import REPORT
from tests.security.support.steps import Attack, Step
from tests.security.support.wire import on

STATE = "FeedState"


def _after_load(handler: str, payload=lambda w: {}) -> Attack:
    page = on("/dashboard")
    return lambda w: [
        Step(f"{STATE}.load", {}, page),
        Step(f"{STATE}.{handler}", payload(w), page),
    ]


def feed_attacks() -> dict[str, Attack]:
    private = lambda w: {"recommendation_id": w.private_id}  # noqa: E731
    return {
        f"{STATE}.load": _after_load("load"),
        f"{STATE}.leave": _after_load("leave"),
        f"{STATE}.load_more": _after_load("load_more"),
        f"{STATE}.refresh": _after_load("refresh"),
        f"{STATE}.check_new": _after_load("check_new"),
        f"{STATE}.show_tab": _after_load("show_tab", lambda w: {"tab": "owner's"}),
        f"{STATE}.show_window": _after_load("show_window", lambda w: {"window": "3650"}),
        f"{STATE}.show_category": _after_load(
            "show_category", lambda w: {"category_id": w.category_id}
        ),
        f"{STATE}.toggle_like": _after_load("toggle_like", private),
        f"{STATE}.toggle_save": _after_load("toggle_save", private),
        f"{STATE}.share": _after_load(
            "share", lambda w: {"recommendation_id": w.private_id, "platform": "copy_link"}
        ),
        f"{STATE}.set_report_for": _after_load(
            "set_report_for", lambda w: {"recommendation_id": w.private_id, "open": True}
        ),
        f"{STATE}.report": lambda w: [
            Step(f"{STATE}.load", {}, on("/dashboard")),
            Step(f"{STATE}.set_report_for", {**private(w), "open": True}, on("/dashboard")),
            Step(f"{STATE}.report", {"form": REPORT}, on("/dashboard")),
        ],
    }
