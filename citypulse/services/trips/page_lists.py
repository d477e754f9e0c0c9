"""The trip page's lists (§4.6.3–§4.6.5): cities in order, the itinerary by day, Places.

Read for one `TripAccess` (pages.py checks it first); the can_* flags are per viewer.
A share-link view reads as a visitor: only public Places, and no adders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, select
from sqlmodel import Session

from citypulse.models import City, ItineraryItem, Recommendation, TripCity, TripRecommendation
from citypulse.models.enums import ContentStatus
from citypulse.services.recommendations.queries import CityRef
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.trips.access import TripAccess
from citypulse.services.trips.fields import date_label, range_label

UNAVAILABLE = "Unavailable place"


@dataclass(frozen=True)
class CityStop:
    id: int
    position: int
    city_id: int
    name: str
    label: str
    arrival_date: date | None
    departure_date: date | None
    dates_label: str
    notes: str
    version: datetime
    can_remove: bool


@dataclass(frozen=True)
class Activity:
    id: int
    day_number: int
    activity_date: date | None
    start_time: str  # "09:30" or ""
    duration_minutes: int | None
    title: str
    description: str
    activity_type: str
    trip_city_id: int | None
    city_name: str
    location_name: str
    latitude: float | None
    longitude: float | None
    estimated_cost: Decimal | None
    status: str
    notes: str
    version: datetime
    can_delete: bool


@dataclass(frozen=True)
class Day:
    number: int
    label: str  # "Day 2 · 11 Jun 2026" or "Day 2"
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Place:
    id: int
    recommendation_id: int  # 0 when unavailable to the viewer
    title: str  # UNAVAILABLE when the viewer cannot see the recommendation
    available: bool
    status: str
    notes: str
    itinerary_item_id: int | None
    version: datetime
    can_remove: bool


def cities(session: Session, access: TripAccess) -> tuple[CityStop, ...]:
    rows = session.execute(
        select(TripCity, City)
        .join(City, City.id == TripCity.city_id)
        .where(TripCity.trip_id == access.trip.id)
        .order_by(TripCity.position)
    ).all()
    return tuple(
        CityStop(
            id=stop.id,
            position=stop.position,
            city_id=city.id,
            name=city.name,
            label=CityRef(city.id, city.name, city.state_province, city.country).label,
            arrival_date=stop.arrival_date,
            departure_date=stop.departure_date,
            dates_label=_stop_dates(stop.arrival_date, stop.departure_date),
            notes=stop.notes or "",
            version=stop.updated_at,
            can_remove=access.can_remove_added(stop.added_by_id),
        )
        for stop, city in rows
    )


def _stop_dates(arrival: date | None, departure: date | None) -> str:
    if arrival and departure:
        return range_label(arrival, departure)
    if arrival:
        return f"From {date_label(arrival)}"
    return f"Until {date_label(departure)}" if departure else ""


# Each activity (its `can_delete` not yet decided) with the id of whoever added it: the
# same for every viewer, so a live re-read may share one read among tabs (shared_reads.py).
ItineraryRows = tuple[tuple[Activity, int | None], ...]


def itinerary_rows(session: Session, trip_id: int) -> ItineraryRows:
    """The trip's activities in page order; call only after the viewer's access check."""
    rows = session.execute(
        select(ItineraryItem, City.name)
        .outerjoin(TripCity, TripCity.id == ItineraryItem.trip_city_id)
        .outerjoin(City, City.id == TripCity.city_id)
        .where(ItineraryItem.trip_id == trip_id)
        .order_by(
            ItineraryItem.day_number,
            ItineraryItem.start_time.asc().nulls_last(),
            ItineraryItem.position,
            ItineraryItem.id,
        )
    ).all()
    return tuple(
        (
            Activity(
                id=item.id,
                day_number=item.day_number,
                activity_date=item.activity_date,
                start_time=item.start_time.strftime("%H:%M") if item.start_time else "",
                duration_minutes=item.duration_minutes,
                title=item.title,
                description=item.description or "",
                activity_type=item.activity_type,
                trip_city_id=item.trip_city_id,
                city_name=city_name or "",
                location_name=item.location_name or "",
                latitude=item.latitude,
                longitude=item.longitude,
                estimated_cost=item.estimated_cost,
                status=item.status,
                notes=item.notes or "",
                version=item.updated_at,
                can_delete=False,
            ),
            item.added_by_id,
        )
        for item, city_name in rows
    )


def days(
    session: Session, access: TripAccess, rows: ItineraryRows | None = None
) -> tuple[Day, ...]:
    """The itinerary by day for this viewer (`rows`: an itinerary read already made)."""
    if rows is None:
        rows = itinerary_rows(session, access.trip.id)
    return by_day(rows, access.can_remove_added)


def by_day(rows: ItineraryRows, may_delete: Callable[[int | None], bool]) -> tuple[Day, ...]:
    """The rows grouped by day; `may_delete(adder id)` decides each `can_delete`."""
    days: dict[int, list[Activity]] = {}
    dates: dict[int, date | None] = {}
    for activity, added_by_id in rows:
        dates[activity.day_number] = activity.activity_date
        days.setdefault(activity.day_number, []).append(
            replace(activity, can_delete=True) if may_delete(added_by_id) else activity
        )
    return tuple(
        Day(
            number=number,
            label=f"Day {number} · {date_label(dates[number])}"
            if dates[number]
            else f"Day {number}",
            activities=tuple(activities),
        )
        for number, activities in days.items()
    )


def places(session: Session, access: TripAccess) -> tuple[Place, ...]:
    # A share-link view reads as a visitor: only public Places (§4.6.10).
    reader = None if access.via_share else access.viewer_id
    visible = and_(
        Recommendation.id == TripRecommendation.recommendation_id,
        Recommendation.status == ContentStatus.active,
        recommendation_visible_to(reader),
    )
    rows = session.execute(
        select(TripRecommendation, Recommendation.id, Recommendation.title)
        .outerjoin(Recommendation, visible)
        .where(TripRecommendation.trip_id == access.trip.id)
        .order_by(TripRecommendation.created_at, TripRecommendation.id)
    ).all()
    places = []
    for place, rec_id, title in rows:
        if access.via_share and rec_id is None:
            continue
        places.append(
            Place(
                id=place.id,
                recommendation_id=rec_id or 0,
                title=title if rec_id else UNAVAILABLE,
                available=rec_id is not None,
                status=place.status,
                notes=place.notes or "",
                itinerary_item_id=place.itinerary_item_id,
                version=place.updated_at,
                can_remove=access.can_remove_added(place.added_by_id),
            )
        )
    return tuple(places)
