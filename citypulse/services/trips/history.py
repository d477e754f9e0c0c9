"""Completed trips on a profile's history tab (PRODUCT.md §2.2 `/profile/[username]`).

"history: a timeline of cities and visible completed trips": the completed trips the
user owns or was accepted on, that the viewer may see (`trips.access.trip_visible_to`,
the one rule: private trips only for their owner, friends_only ones for the owner's
buddies and members, nothing across a block with the trip's owner). Trips a moderator
removed are left out of the timeline (their owner still finds them on /trips). Newest
end first; the timeline shows at most `HISTORY_LIMIT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import desc, select
from sqlmodel import Session

from citypulse.models import City, Trip, TripCity, TripCompanion
from citypulse.models.enums import CompanionStatus, ModerationStatus, TripStatus
from citypulse.services.trips.access import trip_visible_to

HISTORY_LIMIT = 50
CITIES_SHOWN = 3


@dataclass(frozen=True)
class HistoryTrip:
    trip_id: int
    title: str
    start_date: date | None
    end_date: date | None
    cities: tuple[str, ...]  # the first three, in trip order
    more_cities: int
    owned: bool  # the profile's user owns it (else: a companion)


def completed_trips(
    session: Session, *, viewer_id: int | None, user_id: int
) -> tuple[HistoryTrip, ...]:
    """The user's completed trips the viewer may see (None: a visitor), newest first."""
    rows = session.execute(
        select(Trip.id, Trip.title, Trip.start_date, Trip.end_date, Trip.owner_id)
        .join(TripCompanion, TripCompanion.trip_id == Trip.id)
        .where(
            TripCompanion.user_id == user_id,
            TripCompanion.status == CompanionStatus.accepted,
            Trip.status == TripStatus.completed,
            Trip.moderation_status == ModerationStatus.active,
            trip_visible_to(viewer_id),
        )
        .order_by(desc(Trip.end_date).nulls_last(), desc(Trip.id))
        .limit(HISTORY_LIMIT)
    ).all()
    ids = [row.id for row in rows]
    names: dict[int, list[str]] = {}
    if ids:
        for trip_id, name in session.execute(
            select(TripCity.trip_id, City.name)
            .join(City, City.id == TripCity.city_id)
            .where(TripCity.trip_id.in_(ids))
            .order_by(TripCity.trip_id, TripCity.position)
        ).all():
            names.setdefault(trip_id, []).append(name)
    return tuple(
        HistoryTrip(
            trip_id=row.id,
            title=row.title,
            start_date=row.start_date,
            end_date=row.end_date,
            cities=tuple(names.get(row.id, [])[:CITIES_SHOWN]),
            more_cities=max(0, len(names.get(row.id, [])) - CITIES_SHOWN),
            owned=row.owner_id == user_id,
        )
        for row in rows
    )
