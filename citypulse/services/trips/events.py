"""Domain events of the trips services (PRODUCT.md §6.3). No Reflex import here.

Every trips command that changes what a trip page shows calls `trip_changed(session,
trip_id, *parts)` in its transaction; the event is dispatched after the commit only.
`state/push.py` turns it into `TripLive.<part>_epoch + 1` under the shared key
`trip-<id>`: every tab with the trip open re-reads those parts for its own viewer (a
viewer who lost access then gets a 404 and is sent to /trips). Only the trip id and
part names travel: nothing private is ever pushed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from citypulse.realtime import publish_after_commit

# What a trip page re-reads, one epoch each on TripLive.
DETAILS = "details"
CITIES = "cities"
ITINERARY = "itinerary"
PLACES = "places"
COMPANIONS = "companions"
COMMENTS = "comments"
TRIP_PARTS = (DETAILS, CITIES, ITINERARY, PLACES, COMPANIONS, COMMENTS)


@dataclass(frozen=True)
class TripChanged:
    """These parts of the trip changed (a deleted trip changes its details)."""

    trip_id: int
    parts: tuple[str, ...]


def trip_changed(session: Session, trip_id: int, *parts: str) -> None:
    """Publish, after the commit, that `parts` (of `TRIP_PARTS`) of the trip changed."""
    unknown = set(parts).difference(TRIP_PARTS)
    if unknown or not parts:
        raise ValueError(f"unknown trip parts: {sorted(unknown) or 'none given'}")
    publish_after_commit(session, TripChanged(trip_id, tuple(dict.fromkeys(parts))))
