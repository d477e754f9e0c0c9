"""Attacks on the trips-people handlers: the Companions and Comments tabs of /trips/[id]
and the companion finder /trips/companions.

The world gives the owner a private trip (nobody else may see it: journey §7.23) and a
public trip with the third user as an accepted participant and the owner's comment. The
intruder may read the public trip but is no member of it: every change is aimed at the
owner's things there (remove the participant, change roles, answer requests, invite,
edit or delete the owner's comment) and must be refused; everything aimed at the private
trip must look like a missing trip. Joining is aimed at the private trip (a request to
the public one would be a legitimate request that notifies the owner).
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step
from tests.security.support.wire import Page, on
from tests.security.support.world import World

TRIP = "/trips/[id]"
COMPANIONS, COMMENTS, FINDER = "TripCompanionsState", "TripCommentsState", "TripFinderState"
MESSAGE = "Crafted by someone the trip does not concern"


def _trip_page(trip_id: int, tab: str) -> Page:
    return on(TRIP, id=trip_id, tab=tab)


def _on_trip(state: str, tab: str, handler: str, payload, *, private: bool = False) -> Attack:
    """Open the tab of the owner's public (or private) trip, then send `handler`."""

    def steps(w: World) -> list[Step]:
        page = _trip_page(w.private_trip_id if private else w.public_trip_id, tab)
        return [Step(f"{state}.load", {}, page), Step(f"{state}.{handler}", payload(w), page)]

    return steps


def companion_attacks() -> dict[str, Attack]:
    def on_tab(handler: str, payload, **kw) -> Attack:
        return _on_trip(COMPANIONS, "companions", handler, payload, **kw)

    third = lambda w: {"user_id": str(w.third_user_id)}  # noqa: E731
    return {
        f"{COMPANIONS}.load": on_tab("catch_up", lambda w: {}, private=True),
        f"{COMPANIONS}.catch_up": on_tab("catch_up", lambda w: {}),
        f"{COMPANIONS}.leave_page": on_tab("leave_page", lambda w: {}),
        f"{COMPANIONS}.search_people": on_tab("search_people", lambda w: {"text": "third"}),
        f"{COMPANIONS}.invite": on_tab(
            "invite", lambda w: {"form": {"username": w.intruder_username, "message": MESSAGE}}
        ),
        f"{COMPANIONS}.invite_user": on_tab(
            "invite_user", lambda w: {"user_id": str(w.blocked_user_id)}
        ),
        f"{COMPANIONS}.accept_request": on_tab("accept_request", third),
        f"{COMPANIONS}.decline_request": on_tab("decline_request", third),
        f"{COMPANIONS}.remove": on_tab("remove", third),
        f"{COMPANIONS}.set_role": on_tab(
            "set_role", lambda w: {"user_id": str(w.third_user_id), "role": "organizer"}
        ),
        f"{COMPANIONS}.accept_invite": on_tab("accept_invite", lambda w: {}, private=True),
        f"{COMPANIONS}.decline_invite": on_tab("decline_invite", lambda w: {}, private=True),
        f"{COMPANIONS}.request_join": on_tab(
            "request_join", lambda w: {"form": {"message": MESSAGE}}, private=True
        ),
        f"{COMPANIONS}.cancel_request": on_tab("cancel_request", lambda w: {}),
        f"{COMPANIONS}.leave": on_tab("leave", lambda w: {}),
    }


def _edit_owners_comment(w: World) -> dict:
    return {"form": {"comment_id": str(w.trip_comment_id), "body": MESSAGE}}


def comment_attacks() -> dict[str, Attack]:
    def on_tab(handler: str, payload, **kw) -> Attack:
        return _on_trip(COMMENTS, "comments", handler, payload, **kw)

    owners = lambda w: {"comment_id": str(w.trip_comment_id)}  # noqa: E731
    return {
        f"{COMMENTS}.load": on_tab("catch_up", lambda w: {}, private=True),
        f"{COMMENTS}.catch_up": on_tab("catch_up", lambda w: {}),
        f"{COMMENTS}.show_older": on_tab("show_older", lambda w: {}),
        f"{COMMENTS}.leave_page": on_tab("leave_page", lambda w: {}),
        f"{COMMENTS}.post": on_tab("post", lambda w: {"form": {"body": MESSAGE}}),
        f"{COMMENTS}.start_edit": on_tab("start_edit", owners),
        f"{COMMENTS}.cancel_edit": on_tab("cancel_edit", lambda w: {}),
        f"{COMMENTS}.save_edit": on_tab("save_edit", _edit_owners_comment),
        f"{COMMENTS}.delete": on_tab("delete", owners),
        # An appeal of the owner's comment's removal (there is none; none of theirs).
        f"{COMMENTS}.appeal_removal": on_tab(
            "appeal_removal",
            lambda w: {"form": {"comment_id": str(w.trip_comment_id), "message": MESSAGE * 3}},
        ),
    }


def finder_attacks() -> dict[str, Attack]:
    def on_finder(handler: str, payload, tab: str = "find") -> Attack:
        page = on("/trips/companions", tab=tab)
        return lambda w: [
            Step(f"{FINDER}.load", {}, page),
            Step(f"{FINDER}.{handler}", payload(w), page),
        ]

    return {
        f"{FINDER}.load": on_finder("load", lambda w: {}, tab="discover"),
        f"{FINDER}.search": on_finder(
            "search", lambda w: {"form": {"city": w.city_name, "start": "", "end": ""}}
        ),
        f"{FINDER}.load_more": on_finder("load_more", lambda w: {}, tab="suggested"),
        f"{FINDER}.request_join": on_finder(
            "request_join", lambda w: {"trip_id": str(w.private_trip_id)}
        ),
        f"{FINDER}.standing_changed": on_finder("standing_changed", lambda w: {}),
        **traveller_attacks(),
    }


def traveller_attacks() -> dict[str, Attack]:
    """The travellers tab: the owner's private trip through the city must never show."""
    state = "TravellersState"

    def on_tab(handler: str, payload) -> Attack:
        page = on("/trips/companions", tab="travellers")
        return lambda w: [
            Step(f"{state}.load", {}, on("/trips/companions", tab="travellers", city=w.city_name)),
            Step(f"{state}.{handler}", payload(w), page),
        ]

    form = lambda w: {"form": {"city": w.city_name, "start": "2020-01-01", "end": "2099-12-31"}}  # noqa: E731
    return {
        f"{state}.load": on_tab("load", lambda w: {}),
        f"{state}.search": on_tab("search", form),
        f"{state}.load_more": on_tab("load_more", lambda w: {}),
    }
