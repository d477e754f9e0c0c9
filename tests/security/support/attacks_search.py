"""Attacks on the search handlers: /search (form, lists, recent and saved searches) and
the header overlay (suggestions, keyboard, history).

Each aims at the owner's saved search and history entry by id: renaming, archiving or
deleting someone else's saved search, deleting their history entry — and the all-at-once
"clear history", which may only touch the sender's own. Suggestions and results for the
owner's private words must never reach another person.
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step
from tests.security.support.wire import on
from tests.security.support.world import HISTORY_QUERY, PRIVATE_TITLE

PAGE, OVERLAY = "SearchState", "SearchOverlayState"
SEARCH = "/search"


def _after_load(handler: str, payload=lambda w: {}) -> Attack:
    page = on(SEARCH, q="hidden cove")
    return lambda w: [Step(f"{PAGE}.load", {}, page), Step(f"{PAGE}.{handler}", payload(w), page)]


def _overlay(handler: str, payload=lambda w: {}) -> Attack:
    page = on("/dashboard")
    return lambda w: [
        Step(f"{OVERLAY}.open_overlay", {}, page),
        Step(f"{OVERLAY}.{handler}", payload(w), page),
    ]


def search_attacks() -> dict[str, Attack]:
    saved = lambda w: {"saved_id": w.saved_search_id}  # noqa: E731
    return {
        f"{PAGE}.load": _after_load("load"),
        f"{PAGE}.load_more": _after_load("load_more"),
        f"{PAGE}.submit": _after_load("submit", lambda w: {"form": {"q": PRIVATE_TITLE}}),
        f"{PAGE}.set_view": _after_load("set_view", lambda w: {"view": "list"}),
        f"{PAGE}.near_me": _after_load("near_me"),
        f"{PAGE}.located": _after_load("located", lambda w: {"position": "38.7,-9.1"}),
        f"{PAGE}.delete_recent": _after_load("delete_recent", lambda w: {"entry_id": w.history_id}),
        f"{PAGE}.clear_recent": _after_load("clear_recent"),
        f"{PAGE}.save_search": _after_load("save_search", lambda w: {"form": {"name": "Mine"}}),
        f"{PAGE}.start_rename": _after_load("start_rename", saved),
        f"{PAGE}.cancel_rename": _after_load("cancel_rename"),
        # start_rename aims at the owner's search first, then the rename names it.
        f"{PAGE}.rename_saved": lambda w: [
            *_after_load("start_rename", saved)(w),
            Step(f"{PAGE}.rename_saved", {"form": {"name": "Taken over"}}, on(SEARCH)),
        ],
        f"{PAGE}.archive_saved": _after_load("archive_saved", saved),
        f"{PAGE}.unarchive_saved": _after_load("unarchive_saved", saved),
        f"{PAGE}.delete_saved": _after_load("delete_saved", saved),
        f"{PAGE}.toggle_archived": _after_load("toggle_archived"),
        f"{OVERLAY}.open_overlay": _overlay("open_overlay"),
        f"{OVERLAY}.set_open": _overlay("set_open", lambda w: {"is_open": False}),
        # The owner's private title and history words as typed text: nothing of theirs.
        f"{OVERLAY}.typed": lambda w: [
            *_overlay("typed", lambda w: {"text": "Hidden cove"})(w),
            Step(f"{OVERLAY}.typed", {"text": HISTORY_QUERY[:20]}, on("/dashboard")),
        ],
        f"{OVERLAY}.key": _overlay("key", lambda w: {"key": "ArrowDown"}),
        f"{OVERLAY}.go": _overlay("go", lambda w: {"form": {"q": "harbour"}}),
        f"{OVERLAY}.pick": _overlay("pick", lambda w: {"index": 0}),
        f"{OVERLAY}.clear_history": _overlay("clear_history"),
    }
