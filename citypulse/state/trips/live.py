"""Live trip pages (§6.3): one shared key per trip, `trip-<id>`, with an epoch per part.

Tabs showing /trips/<id> link `TripLive` to the trip's key once their loader has shown
the trip (access checked on the server), and unlink when they leave the page. Only the
push adapter (state/push.py) writes it, from committed `TripChanged` events
(services/trips/events.py). Only epochs travel, so nothing here may name anyone: each
tab re-reads the changed parts for its own viewer, and a viewer who lost access gets a
404 from that re-read ("You no longer have access to this trip", then /trips). Pages of
signed-in viewers get the itinerary pushed instead (plan_live.py) and re-read on
`pull_serial`, which skips the changes of the itinerary alone.

Use from a page state (details/cities/itinerary/places here; companions and comments
reuse the same channel and part names):

    seen = await join_trip(self, trip_id)        # after the loader showed the trip
    for part in changed_parts(await self.get_state(TripLive), seen): ...re-read part
    await leave_trip(self)                       # on_unmount / trip gone

and render `trip_watcher(State.catch_up)` (components) keyed on `TripLive.serial` (or
`pull_serial`, for a part the pushed itinerary never changes or a page that follows it).
"""

from __future__ import annotations

import reflex as rx
from reflex.state import BaseState

from citypulse.services.trips.events import ITINERARY, TRIP_PARTS
from citypulse.state import live_links


class TripLive(rx.SharedState):
    """Change counters of one trip; `serial` moves with every change (watcher key)."""

    serial: int = 0
    # Moves with every change but those of the itinerary alone, which reach the pages
    # that follow the pushed itinerary without a re-read (plan_live.py): their watcher.
    pull_serial: int = 0
    details_epoch: int = 0
    cities_epoch: int = 0
    itinerary_epoch: int = 0
    places_epoch: int = 0
    companions_epoch: int = 0
    comments_epoch: int = 0


def channel_key(trip_id: int) -> str:
    """The shared-state key of one trip (no underscores allowed)."""
    return f"trip-{trip_id}"


def epochs(live: TripLive) -> dict[str, int]:
    """The epoch of each part as `live` holds it now."""
    return {part: getattr(live, f"{part}_epoch") for part in TRIP_PARTS}


def changed_parts(live: TripLive, seen: dict[str, int]) -> list[str]:
    """The parts whose epoch moved since `seen` (updates `seen` in place)."""
    now = epochs(live)
    changed = [part for part in TRIP_PARTS if now[part] != seen.get(part)]
    seen.update(now)
    return changed


async def join_trip(state: BaseState, trip_id: int) -> dict[str, int]:
    """Link this tab to the trip's channel; returns the epochs it has seen."""
    live = await state.get_state(TripLive)
    live = await live._link_to(channel_key(trip_id))
    return epochs(live)


async def leave_trip(state: BaseState) -> None:
    """Unlink this tab from its trip channel (no-op when not linked)."""
    await live_links.unlink(state, TripLive)


def bump(parts: tuple[str, ...]):
    """The push adapter's change for a `TripChanged` event."""

    def change(live: TripLive) -> None:
        for part in parts:
            name = f"{part}_epoch"
            setattr(live, name, getattr(live, name) + 1)
        live.serial += 1
        if set(parts) - {ITINERARY}:
            live.pull_serial += 1

    return change
