"""Attacks on the trips-core handlers: /trips, /trips/create, /trips/[id] (Overview,
Itinerary, Places), /trips/[id]/edit and "Add to trip" on a recommendation.

The world gives the owner a private trip (with an activity) that nobody else may see
(journey §7.23) and a public trip with a city, an activity and a Place the owner added,
the third user an accepted participant. The intruder may read the public trip but is
no member: every change aimed at it (status, delete, share link, activities, cities,
Places, details) must be refused, and everything aimed at the private trip must look
like a missing trip. Creating a trip is the intruder's own (nothing of the owner's).
"""

from __future__ import annotations

from tests.security.support.steps import Attack, Step, photo_file
from tests.security.support.wire import Page, on
from tests.security.support.world import World

TRIP, EDIT, CREATE, LIST = "/trips/[id]", "/trips/[id]/edit", "/trips/create", "/trips"
DETAIL, FORM, MINE, ADD = "TripState", "TripFormState", "MyTripsState", "AddToTripState"
RECOMMENDATION = "/recommendations/[id]"


def _trip(w: World, *, private: bool = False, tab: str = "overview") -> Page:
    return on(TRIP, id=w.private_trip_id if private else w.public_trip_id, tab=tab)


def _on_trip(
    handler: str,
    payload,
    *,
    private: bool = False,
    tab: str = "overview",
    before: tuple[tuple[str, object], ...] = (),
) -> Attack:
    """Open the owner's public (or private) trip, then send `handler` (after `before`)."""

    def steps(w: World) -> list[Step]:
        page = _trip(w, private=private, tab=tab)
        first = [Step(f"{DETAIL}.load", {}, page)]
        first += [Step(f"{DETAIL}.{name}", make(w), page) for name, make in before]
        return [*first, Step(f"{DETAIL}.{handler}", payload(w), page)]

    return steps


def _both(handler: str, payload, **kw) -> Attack:
    """The same crafted call against the public trip, then the private one."""
    public, private = (
        _on_trip(handler, payload, **kw),
        _on_trip(handler, payload, private=True, **kw),
    )
    return lambda w: [*public(w), *private(w)]


ITEM = {"title": "Hijacked", "activity_date": "", "day_number": "1"}
CITY = {"city_text": "Hijack Town, Portugal", "arrival_date": "", "notes": "Crafted"}


def detail_attacks() -> dict[str, Attack]:
    none = lambda w: {}  # noqa: E731
    item = lambda w: {"item_id": w.trip_item_id}  # noqa: E731
    return {
        f"{DETAIL}.load": _both("catch_up", none),
        f"{DETAIL}.catch_up": _both("catch_up", none),
        f"{DETAIL}.leave": _on_trip("leave", none),
        f"{DETAIL}.set_status": _both("set_status", lambda w: {"status": "cancelled"}),
        f"{DETAIL}.delete_trip": _both("delete_trip", none),
        f"{DETAIL}.create_share_link": _both("create_share_link", none),
        f"{DETAIL}.revoke_share_link": _both("revoke_share_link", none),
        f"{DETAIL}.create_feed": _both("create_feed", none),
        f"{DETAIL}.revoke_feed": _both("revoke_feed", none),
        f"{DETAIL}.open_item": _on_trip("open_item", item, tab="itinerary"),
        f"{DETAIL}.close_item": _on_trip("close_item", lambda w: {"open": False}),
        # The owner's activity opened on the public trip, then saved with crafted values.
        f"{DETAIL}.save_item": _on_trip(
            "save_item",
            lambda w: {"form": ITEM},
            tab="itinerary",
            before=(("open_item", item),),
        ),
        f"{DETAIL}.delete_item": lambda w: [
            *_on_trip("delete_item", item, tab="itinerary")(w),
            *_on_trip("delete_item", lambda w: {"item_id": w.private_trip_item_id}, private=True)(
                w
            ),
        ],
        f"{DETAIL}.add_city": _both("add_city", lambda w: {"form": CITY}),
        f"{DETAIL}.open_city": _on_trip("open_city", lambda w: {"trip_city_id": w.trip_city_id}),
        f"{DETAIL}.close_city": _on_trip("close_city", lambda w: {"open": False}),
        f"{DETAIL}.save_city": _on_trip(
            "save_city",
            lambda w: {"form": {"notes": "Crafted", "arrival_date": ""}},
            before=(("open_city", lambda w: {"trip_city_id": w.trip_city_id}),),
        ),
        f"{DETAIL}.remove_city": _both("remove_city", lambda w: {"trip_city_id": w.trip_city_id}),
        f"{DETAIL}.move_city": _on_trip(
            "move_city", lambda w: {"trip_city_id": w.trip_city_id, "offset": 1}
        ),
        f"{DETAIL}.reorder_cities": _both(
            "reorder_cities", lambda w: {"ordered_ids": [w.trip_city_id]}
        ),
        f"{DETAIL}.set_place_status": _on_trip(
            "set_place_status",
            lambda w: {"place_id": w.trip_place_id, "status": "visited"},
            tab="places",
        ),
        f"{DETAIL}.link_place": _on_trip(
            "link_place",
            lambda w: {"place_id": w.trip_place_id, "item_id": str(w.trip_item_id)},
            tab="places",
        ),
        f"{DETAIL}.open_place": _on_trip(
            "open_place", lambda w: {"place_id": w.trip_place_id}, tab="places"
        ),
        f"{DETAIL}.close_place": _on_trip("close_place", lambda w: {"open": False}),
        # The owner's Place opened on the public trip, then its notes saved as someone else.
        f"{DETAIL}.save_place_notes": _on_trip(
            "save_place_notes",
            lambda w: {"form": {"notes": "Crafted"}},
            tab="places",
            before=(("open_place", lambda w: {"place_id": w.trip_place_id}),),
        ),
        f"{DETAIL}.remove_place": _both("remove_place", lambda w: {"place_id": w.trip_place_id}),
    }


def _edit(handler: str, payload, *, private: bool = False) -> Attack:
    def steps(w: World) -> list[Step]:
        page = on(EDIT, id=w.private_trip_id if private else w.public_trip_id)
        return [Step(f"{FORM}.load_edit", {}, page), Step(f"{FORM}.{handler}", payload(w), page)]

    return steps


def _create(handler: str, payload) -> Attack:
    return lambda w: [
        Step(f"{FORM}.load_create", {}, on(CREATE)),
        Step(f"{FORM}.{handler}", payload(w), on(CREATE)),
    ]


def form_attacks() -> dict[str, Attack]:
    details = {"title": "Hijacked trip", "visibility": "private", "start_date": "", "end_date": ""}
    return {
        f"{FORM}.load_create": _create("add_stop", lambda w: {}),
        f"{FORM}.load_edit": lambda w: [
            *_edit("clear_cover", lambda w: {})(w),
            *_edit("clear_cover", lambda w: {}, private=True)(w),
        ],
        f"{FORM}.add_stop": _create("add_stop", lambda w: {}),
        f"{FORM}.remove_stop": _create("remove_stop", lambda w: {"key": "nope"}),
        f"{FORM}.set_stop": _create(
            "set_stop", lambda w: {"key": "nope", "field": "__class__", "value": "x"}
        ),
        f"{FORM}.move_stop": _create("move_stop", lambda w: {"key": "nope", "offset": 1}),
        f"{FORM}.reorder_stops": _create("reorder_stops", lambda w: {"keys": ["nope"]}),
        f"{FORM}.clear_cover": _edit("clear_cover", lambda w: {}),
        # Saving the owner's trips (details, visibility, cover removal) as someone else.
        f"{FORM}.submit": lambda w: [
            *_edit("submit", lambda w: {"form": details})(w),
            *_edit("submit", lambda w: {"form": details}, private=True)(w),
        ],
        f"{FORM}.upload_cover": lambda w: [
            Step(f"{FORM}.load_edit", {}, on(EDIT, id=w.public_trip_id)),
            Step(f"{FORM}.upload_cover", {}, on(EDIT, id=w.public_trip_id), files=(photo_file(),)),
        ],
    }


def other_attacks() -> dict[str, Attack]:
    rec = lambda w: on(RECOMMENDATION, id=w.public_id)  # noqa: E731
    return {
        f"{MINE}.load": lambda w: [Step(f"{MINE}.load", {}, on(LIST, status="planning"))],
        f"{ADD}.load_choices": lambda w: [Step(f"{ADD}.load_choices", {"open": True}, rec(w))],
        # Adding to the owner's trips: the public one (no member) and the private one.
        f"{ADD}.add": lambda w: [
            Step(f"{ADD}.add", {"trip_id": w.public_trip_id}, rec(w)),
            Step(f"{ADD}.add", {"trip_id": w.private_trip_id}, rec(w)),
        ],
    }


def trip_attacks() -> dict[str, Attack]:
    return detail_attacks() | form_attacks() | other_attacks()
