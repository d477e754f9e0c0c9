"""Attacks on the notification handlers: the bell (every page) and /notifications.

Each aims at the owner's unread notification by id: reading it (the bell and the page
load the sender's own list), opening it (marks read and redirects), marking it read,
deleting it, and the all-at-once actions (which may only touch the sender's own).
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step
from tests.security.support.wire import Page, on

BELL, LIST = "NotificationBellState", "NotificationsPageState"
NOTIFICATIONS, DASHBOARD = "/notifications", "/dashboard"


def _at_owner(handler: str, page: Page) -> Attack:
    """`handler` with the owner's notification id, after the page loaded its list."""
    loader = f"{LIST}.load" if page.route == NOTIFICATIONS else f"{BELL}.sync"
    return lambda w: [
        Step(loader, {}, page),
        Step(handler, {"notification_id": w.notification_id}, page),
    ]


def _after_load(handler: str, **payload: object) -> Attack:
    page = on(NOTIFICATIONS)
    return lambda w: [Step(f"{LIST}.load", {}, page), Step(f"{LIST}.{handler}", payload, page)]


def notification_attacks() -> dict[str, Attack]:
    bell_page = on(DASHBOARD)
    return {
        f"{BELL}.sync": lambda w: [Step(f"{BELL}.sync", {}, bell_page)],
        f"{BELL}.open_item": _at_owner(f"{BELL}.open_item", bell_page),
        f"{BELL}.mark_read": _at_owner(f"{BELL}.mark_read", bell_page),
        f"{BELL}.delete": _at_owner(f"{BELL}.delete", bell_page),
        f"{BELL}.mark_all_read": lambda w: [Step(f"{BELL}.mark_all_read", {}, bell_page)],
        f"{LIST}.load": lambda w: [Step(f"{LIST}.load", {}, on(NOTIFICATIONS, filter="unread"))],
        f"{LIST}.show": _after_load("show", value="unread"),
        f"{LIST}.load_more": _after_load("load_more"),
        f"{LIST}.refresh": _after_load("refresh"),
        f"{LIST}.open_entry": _at_owner(f"{LIST}.open_entry", on(NOTIFICATIONS)),
        f"{LIST}.remove": _at_owner(f"{LIST}.remove", on(NOTIFICATIONS)),
        f"{LIST}.read_all": _after_load("read_all"),
        f"{LIST}.delete_all_read": _after_load("delete_all_read"),
    }
