"""Attacks on the buddy handlers: /buddies, the profile's buddy buttons, the dashboard panel.

The world gives the owner a pending request to the third user ("alice → bob"), a block of
another user, and "Accept buddy requests" off. The intruder ("carol") answers, cancels,
removes and unblocks with the ids of those people: every command looks the request up by
the pair (sender, user id), so none may touch the owner's request or block, and a request
to the owner is refused (requests off). Blocking is aimed at the user the owner blocked,
so the owner's own block must stay as it was.
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step, one
from tests.security.support.wire import Page, on
from tests.security.support.world import World

BUDDIES, PROFILE, SETTINGS = "/buddies", "/profile/[profile_username]", "/settings"
LIST, BUTTONS = "BuddiesState", "ProfileBuddyState"
MESSAGE = "Crafted by someone it does not concern"


def _tab(tab: str) -> Page:
    return on(BUDDIES, tab=tab)


def _on_tab(tab: str, handler: str, payload) -> Attack:
    """Open the tab, then send `handler` with `payload(world)`."""
    return lambda w: [
        Step(f"{LIST}.load", {}, _tab(tab)),
        Step(f"{LIST}.{handler}", payload(w), _tab(tab)),
    ]


def _on_profile(handler: str, username, **payload: object) -> Attack:
    """Open `username(world)`'s profile (the buttons act on it), then send `handler`."""

    def steps(w: World) -> list[Step]:
        page = on(PROFILE, profile_username=username(w))
        return [
            Step("ProfileState.load", {}, page),
            Step(f"{BUTTONS}.load_buddy", {}, page),
            Step(f"{BUTTONS}.{handler}", dict(payload), page),
        ]

    return steps


def _owner(w: World) -> str:
    return w.owner_username


def _blocked(w: World) -> str:
    return w.blocked_username


def buddy_list_attacks() -> dict[str, Attack]:
    return {
        "ActiveBuddiesState.load": one("ActiveBuddiesState.load", lambda w: on("/dashboard")),
        f"{LIST}.load": lambda w: [Step(f"{LIST}.load", {}, _tab("requests"))],
        f"{LIST}.show_blocked": one(f"{LIST}.show_blocked", lambda w: on(SETTINGS)),
        f"{LIST}.load_more": _on_tab("sent", "load_more", lambda w: {}),
        f"{LIST}.buddies_changed": _on_tab("buddies", "buddies_changed", lambda w: {}),
        f"{LIST}.find": _on_tab("find", "find", lambda w: {"form": {"text": w.owner_username}}),
        # A request to the owner, who accepts none.
        f"{LIST}.send_request": _on_tab(
            "find", "send_request", lambda w: {"form": {"user_id": w.owner_id, "message": MESSAGE}}
        ),
        # The owner's request went to the third user, not to the sender.
        f"{LIST}.accept": _on_tab("requests", "accept", lambda w: {"user_id": w.owner_id}),
        f"{LIST}.decline": _on_tab(
            "requests", "decline", lambda w: {"form": {"user_id": w.owner_id, "message": MESSAGE}}
        ),
        f"{LIST}.cancel": _on_tab("sent", "cancel", lambda w: {"user_id": w.third_user_id}),
        f"{LIST}.remove": _on_tab("buddies", "remove", lambda w: {"user_id": w.owner_id}),
        f"{LIST}.unblock": _on_tab("blocked", "unblock", lambda w: {"user_id": w.blocked_user_id}),
    }


def profile_button_attacks() -> dict[str, Attack]:
    return {
        f"{BUTTONS}.load_buddy": _on_profile("load_buddy", _owner),
        f"{BUTTONS}.buddies_changed": _on_profile("buddies_changed", _owner),
        f"{BUTTONS}.add_buddy": _on_profile("add_buddy", _owner, form={"message": MESSAGE}),
        f"{BUTTONS}.accept_request": _on_profile("accept_request", _owner),
        f"{BUTTONS}.decline_request": _on_profile(
            "decline_request", _owner, form={"message": MESSAGE}
        ),
        f"{BUTTONS}.cancel_request": _on_profile("cancel_request", _owner),
        f"{BUTTONS}.remove_buddy": _on_profile("remove_buddy", _owner),
        f"{BUTTONS}.unblock": _on_profile("unblock", _owner),
        # The sender's own block of the person the owner blocked: the owner's stays.
        f"{BUTTONS}.block": _on_profile("block", _blocked),
    }


def social_attacks() -> dict[str, Attack]:
    return buddy_list_attacks() | profile_button_attacks()
