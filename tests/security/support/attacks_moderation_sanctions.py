"""Attacks on the sanction handlers: /moderator/users, /moderator/appeals, the restricted
screen in /settings.

Neither identity is a moderator, so every moderator action aimed at the owner (warn,
suspend, ban, reinstate, change role, revoke, decide an appeal) must be refused as the
404 it is for them, leaving the owner's account as it was and writing no audit entry.
The page's `?user=` names the owner, so the panel the page would load is theirs. The
restricted screen's appeal names an item that does not concern the sender.
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step
from tests.security.support.wire import Page, on
from tests.security.support.world import World

USERS, APPEALS, SETTINGS = "ModeratorUsersState", "ModeratorAppealsState", "RestrictedState"
REASON = "Crafted by someone who is not a moderator"


def _users_page(w: World) -> Page:
    return on("/moderator/users", user=w.owner_id)


def _on_owner(handler: str, form) -> Attack:
    """Load the owner's panel (refused), pick the owner, then send `handler`."""
    return lambda w: [
        Step(f"{USERS}.load", {}, _users_page(w)),
        Step(f"{USERS}.select_user", {"user_id": str(w.owner_id)}, _users_page(w)),
        Step(f"{USERS}.{handler}", {"form": form(w)}, _users_page(w)),
    ]


def _appeals(handler: str, **payload: object) -> Attack:
    page = on("/moderator/appeals", status="pending")
    return lambda w: [
        Step(f"{APPEALS}.load", {}, page),
        Step(f"{APPEALS}.{handler}", payload, page),
    ]


def sanction_attacks() -> dict[str, Attack]:
    settings = on("/settings")
    return {
        f"{USERS}.load": lambda w: [Step(f"{USERS}.load", {}, _users_page(w))],
        f"{USERS}.search": _on_owner("search", lambda w: {"query": w.owner_email}),
        f"{USERS}.load_more": lambda w: [
            Step(f"{USERS}.load", {}, _users_page(w)),
            Step(f"{USERS}.load_more", {}, _users_page(w)),
        ],
        f"{USERS}.select_user": lambda w: [
            Step(f"{USERS}.select_user", {"user_id": str(w.owner_id)}, _users_page(w))
        ],
        f"{USERS}.warn": _on_owner("warn", lambda w: {
            "warning_type": "spam", "severity": "high", "message": REASON}),
        f"{USERS}.revoke": _on_owner("revoke", lambda w: {"warning_id": "1", "reason": REASON}),
        f"{USERS}.suspend": _on_owner("suspend", lambda w: {"days": "365", "reason": REASON}),
        f"{USERS}.ban": _on_owner("ban", lambda w: {"reason": REASON}),
        f"{USERS}.reinstate": _on_owner("reinstate", lambda w: {"reason": REASON}),
        f"{USERS}.change_role": _on_owner("change_role", lambda w: {
            "role": "moderator", "reason": REASON}),
        f"{APPEALS}.load": _appeals("show", status="granted"),
        f"{APPEALS}.show": _appeals("show", status="rejected"),
        f"{APPEALS}.load_more": _appeals("load_more"),
        f"{APPEALS}.appeals_changed": _appeals("appeals_changed"),
        f"{APPEALS}.decide": _appeals("decide", form={
            "appeal_id": "1", "decision": "grant", "note": REASON}),
        f"{APPEALS}.leave": _appeals("leave"),
        f"{SETTINGS}.load": lambda w: [Step(f"{SETTINGS}.load", {}, settings)],
        f"{SETTINGS}.appeal": lambda w: [
            Step(f"{SETTINGS}.load", {}, settings),
            Step(f"{SETTINGS}.appeal", {"form": {
                "target_type": "warning", "target_id": "1", "message": REASON * 2}}, settings),
        ],
    }  # fmt: skip
