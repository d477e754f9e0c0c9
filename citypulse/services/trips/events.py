"""Domain events of the trips services (PRODUCT.md §6.3). No Reflex import here.

Every trips command that changes what a trip page shows calls `trip_changed(session,
trip_id, *parts)` in its transaction; the event is dispatched after the commit only.
`state/push.py` turns it into `TripLive.<part>_epoch + 1` under the shared key
`trip-<id>`: every tab with the trip open re-reads those parts for its own viewer (a
viewer who lost access then gets a 404 and is sent to /trips). Only the trip id and
part names travel in the event. The itinerary itself is read once after the change and
pushed to the signed-in viewers' pages whose access that read checks again
(live_plan.py, state/trips/plan_live.py).

A change of a trip's details, cities or companions may also change who is listed under
"Upcoming travellers" on its cities' pages: `CityTravellersChanged` names those cities
(and any the trip just left), and their open pages re-read the list for their viewer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.realtime import publish_after_commit

# What a trip page re-reads, one epoch each on TripLive.
DETAILS = "details"
CITIES = "cities"
ITINERARY = "itinerary"
PLACES = "places"
COMPANIONS = "companions"
COMMENTS = "comments"
TRIP_PARTS = (DETAILS, CITIES, ITINERARY, PLACES, COMPANIONS, COMMENTS)
# The parts a city page's "Upcoming travellers" reads (dates, status, visibility and
# title; the trip's cities; its accepted members).
TRAVELLER_PARTS = frozenset({DETAILS, CITIES, COMPANIONS})


@dataclass(frozen=True)
class TripChanged:
    """These parts of the trip changed (a deleted trip changes its details)."""

    trip_id: int
    parts: tuple[str, ...]


@dataclass(frozen=True)
class CityTravellersChanged:
    """Who travels to these cities may have changed."""

    city_ids: tuple[int, ...]


def trip_changed(
    session: Session, trip_id: int, *parts: str, left_cities: Iterable[int] = ()
) -> None:
    """Publish, after the commit, that `parts` (of `TRIP_PARTS`) of the trip changed;
    `left_cities`: cities the trip no longer goes through (a removed stop, a deleted trip)."""
    unknown = set(parts).difference(TRIP_PARTS)
    if unknown or not parts:
        raise ValueError(f"unknown trip parts: {sorted(unknown) or 'none given'}")
    publish_after_commit(session, TripChanged(trip_id, tuple(dict.fromkeys(parts))))
    if TRAVELLER_PARTS.intersection(parts):
        travellers_changed(session, trip_id, left_cities)


def travellers_changed(session: Session, trip_id: int, left_cities: Iterable[int] = ()) -> None:
    """Publish, after the commit, that the travellers of the trip's cities may have changed."""
    city_ids = set(left_cities)
    city_ids.update(
        session.execute(select(TripCity.city_id).where(TripCity.trip_id == trip_id)).scalars()
    )
    if city_ids:
        publish_after_commit(session, CityTravellersChanged(tuple(sorted(city_ids))))
