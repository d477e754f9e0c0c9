"""What the Companions and Comments tabs of /trips/[id] share: the trip id from the route,
the trip's live channel, and the way out when the viewer loses access (§6.3).

Plain functions, not a State base class: each tab state stays one level below
SessionState. A tab links the trip channel after its first read succeeded (access was
checked on the server) and re-reads its part when `TripLive.<part>_epoch` moves; a
re-read that finds the trip hidden shows "You no longer have access to this trip" and
sends the tab to /trips.
"""

from __future__ import annotations

import reflex as rx
from reflex.state import BaseState

from citypulse.params import parse_id
from citypulse.state.trips.live import TripLive, join_trip

NO_ACCESS = "You no longer have access to this trip"


def route_trip_id(state: BaseState) -> int | None:
    """The trip id of the /trips/[id] route (None when it is not a valid id)."""
    return parse_id(state.router.page.params.get("id", ""))


async def follow_trip(state: BaseState, trip_id: int, part: str) -> int:
    """Link the tab to the trip's channel; returns the epoch of `part` it has seen."""
    return (await join_trip(state, trip_id))[part]


async def part_epoch(state: BaseState, part: str) -> int:
    """The epoch of `part` the tab's copy of the trip channel holds now."""
    return getattr(await state.get_state(TripLive), f"{part}_epoch")


def access_lost() -> list:
    """The tab's way out: the message (once, whichever tab part saw it first) and /trips."""
    return [rx.toast.error(NO_ACCESS, id="trip-access-lost"), rx.redirect("/trips")]
