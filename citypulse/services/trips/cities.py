"""A trip's cities (PRODUCT.md §4.6.6): ordered stops with arrival, departure and notes.

Cities are appended last and keep positions 1..n: removing one closes the gap, moving
or reordering permutes the positions in one transaction (the unique (trip, position)
is deferred). Dates are optional, arrival ≤ departure, both within the trip's dates.
Editors (`access.require_editor`) add, edit and reorder; organizers and the adder
remove. Every change publishes `TripChanged(cities)` after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from citypulse.models import City, Trip, TripCity
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.recommendations.forms import find_city
from citypulse.services.recommendations.links import resolve_city
from citypulse.services.trips.access import (
    NOT_ALLOWED,
    count_trip_change,
    require_editor,
)
from citypulse.services.trips.events import CITIES, ITINERARY, trip_changed
from citypulse.services.trips.fields import as_id, free_text, new_version, parse_date, range_label

MAX_CITIES = 20
CITY_NOT_FOUND = "City not found on this trip"
TOO_MANY = "A trip can have at most 20 cities"
ORDER_ERROR = "Departure must be on or after arrival"
ORDER_CHANGED = "The cities have changed; reload the page and try again"
STALE = "Someone else changed this city meanwhile. Reload to see their change, then try again."


@dataclass(frozen=True)
class CityStopForm:
    """One stop as a form sends it: a chosen city id or "City, Country" text."""

    city_text: str = ""
    city_id: int | str | None = None
    arrival_date: str = ""
    departure_date: str = ""
    notes: str = ""


def dates_problem(
    arrival: date | None, departure: date | None, start: date | None, end: date | None
) -> str | None:
    """Why a stop's dates do not fit (order, the trip's dates), or None."""
    if arrival and departure and departure < arrival:
        return ORDER_ERROR
    for day in (arrival, departure):
        if day is None:
            continue
        if start is None or end is None:
            return "Set the trip dates before giving a city dates"
        if not start <= day <= end:
            return f"City dates must be within the trip dates ({range_label(start, end)})"
    return None


def clean_dates(
    form: CityStopForm, start: date | None, end: date | None, errors: dict, prefix: str = ""
) -> tuple[date | None, date | None, str | None]:
    """Arrival, departure and notes of a stop; field errors under `prefix` + name."""
    arrival, error = parse_date(form.arrival_date)
    if error:
        errors[prefix + "arrival_date"] = error
    departure, error = parse_date(form.departure_date)
    if error:
        errors[prefix + "departure_date"] = error
    if not errors and (problem := dates_problem(arrival, departure, start, end)):
        errors[prefix + ("departure_date" if problem == ORDER_ERROR else "arrival_date")] = problem
    notes = free_text("Notes", form.notes, 500, errors, prefix + "notes")
    return arrival, departure, notes


def resolve_stop(
    session: Session, form: CityStopForm, errors: dict, prefix: str = ""
) -> City | None:
    """The stop's city (a typed "City, Country" is created like the recommendation form's)."""
    choice, error = find_city(session, form)
    if error or choice is None:
        errors[prefix + "city"] = error
        return None
    return resolve_city(session, choice)


def stop_rows(
    session: Session, trip: Trip, stops: Sequence[CityStopForm], actor: Viewer
) -> list[TripCity]:
    """Validate and insert the stops of a new trip at positions 1..n (create form)."""
    errors: dict[str, str] = {}
    if len(stops) > MAX_CITIES:
        raise ValidationFailed({"cities": TOO_MANY})
    rows, seen = [], set()
    for index, stop in enumerate(stops):
        prefix = f"cities.{index}."
        city = resolve_stop(session, stop, errors, prefix)
        arrival, departure, notes = clean_dates(
            stop, trip.start_date, trip.end_date, errors, prefix
        )
        if city is not None and city.id in seen:
            errors[prefix + "city"] = f"{city.name} is already on this trip"
        if city is not None:
            seen.add(city.id)
            rows.append(
                TripCity(
                    trip_id=trip.id,
                    city_id=city.id,
                    position=index + 1,
                    arrival_date=arrival,
                    departure_date=departure,
                    notes=notes,
                    added_by_id=actor.user_id,
                )
            )
    if errors:
        raise ValidationFailed(errors)
    session.add_all(rows)
    return rows


def _stop(session: Session, actor: Viewer | None, trip_city_id: object) -> tuple[TripCity, object]:
    """The stop and its trip's access for an editor (hidden trip or stop: NotFound)."""
    stop_id = as_id(trip_city_id)
    row = session.get(TripCity, stop_id) if stop_id else None
    if row is None:
        raise NotFound(CITY_NOT_FOUND)
    access = require_editor(session, actor, row.trip_id)  # hidden trip: 404 before 403
    session.refresh(row)  # as it is now that the trip is locked
    return row, access


def trip_city_add(
    session: Session, *, actor: Viewer | None, trip_id: int, form: CityStopForm, now: datetime
) -> int:
    """Append a city to the trip (editors). Returns the new stop's id.

    Raises:
        NotFound: the trip is hidden. PermissionDenied: not an editor.
        ValidationFailed: unknown city, bad dates, duplicate, more than 20 cities.
    """
    access = require_editor(session, actor, trip_id)
    count_trip_change(session, actor, now)
    trip = access.trip
    errors: dict[str, str] = {}
    city = resolve_stop(session, form, errors)
    arrival, departure, notes = clean_dates(form, trip.start_date, trip.end_date, errors)
    existing = (
        session.execute(select(TripCity.city_id).where(TripCity.trip_id == trip.id)).scalars().all()
    )
    if city is not None and city.id in existing:
        errors["city"] = f"{city.name} is already on this trip"
    if len(existing) >= MAX_CITIES:
        errors["city"] = TOO_MANY
    if errors:
        raise ValidationFailed(errors)
    row = TripCity(
        trip_id=trip.id,
        city_id=city.id,
        position=len(existing) + 1,
        arrival_date=arrival,
        departure_date=departure,
        notes=notes,
        added_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    trip_changed(session, trip.id, CITIES)
    return row.id


def trip_city_update(
    session: Session,
    *,
    actor: Viewer | None,
    trip_city_id: int,
    form: CityStopForm,
    version: datetime | None,
    now: datetime,
) -> None:
    """Change a stop's arrival, departure and notes (editors); `version` is the
    `updated_at` the editor saw.

    Raises:
        NotFound, PermissionDenied, ValidationFailed; Conflict: changed meanwhile.
    """
    row, access = _stop(session, actor, trip_city_id)
    if version is not None and row.updated_at != version:
        raise Conflict(STALE)
    count_trip_change(session, actor, now)
    errors: dict[str, str] = {}
    arrival, departure, notes = clean_dates(
        form, access.trip.start_date, access.trip.end_date, errors
    )
    if errors:
        raise ValidationFailed(errors)
    row.arrival_date, row.departure_date, row.notes = arrival, departure, notes
    new_version(row)
    session.add(row)
    session.flush()
    trip_changed(session, row.trip_id, CITIES)


def _compact(session: Session, trip_id: int) -> None:
    ordered = (
        session.execute(
            select(TripCity.id).where(TripCity.trip_id == trip_id).order_by(TripCity.position)
        )
        .scalars()
        .all()
    )
    _renumber(session, trip_id, list(ordered))


def _renumber(session: Session, trip_id: int, ordered_ids: list[int]) -> None:
    for position, stop_id in enumerate(ordered_ids, start=1):
        session.execute(
            update(TripCity)
            .where(
                TripCity.id == stop_id, TripCity.trip_id == trip_id, TripCity.position != position
            )
            .values(position=position)
        )


def trip_city_remove(
    session: Session, *, actor: Viewer | None, trip_city_id: int, now: datetime
) -> None:
    """Remove a stop (organizers, or the editor who added it); positions close up and
    its itinerary items are unlinked (they stay on the trip).

    Raises:
        NotFound, PermissionDenied.
    """
    row, access = _stop(session, actor, trip_city_id)
    if not access.can_remove_added(row.added_by_id):
        raise PermissionDenied(NOT_ALLOWED)
    count_trip_change(session, actor, now)
    trip_id, city_id = row.trip_id, row.city_id
    session.execute(delete(TripCity).where(TripCity.id == row.id))
    session.expunge(row)
    _compact(session, trip_id)
    trip_changed(session, trip_id, CITIES, ITINERARY, left_cities=(city_id,))


def trip_cities_reorder(
    session: Session,
    *,
    actor: Viewer | None,
    trip_id: int,
    ordered_ids: Sequence[int],
    now: datetime,
) -> None:
    """Put the trip's stops in this order (drag and drop; editors).

    Raises:
        NotFound, PermissionDenied; Conflict: `ordered_ids` is not exactly the trip's stops.
    """
    access = require_editor(session, actor, trip_id)
    current = (
        session.execute(select(TripCity.id).where(TripCity.trip_id == access.trip.id))
        .scalars()
        .all()
    )
    wanted = [as_id(value) for value in ordered_ids]
    if sorted(current) != sorted(x for x in wanted if x is not None) or len(wanted) != len(current):
        raise Conflict(ORDER_CHANGED)
    count_trip_change(session, actor, now)
    _renumber(session, access.trip.id, wanted)
    trip_changed(session, access.trip.id, CITIES)


def trip_city_move(
    session: Session, *, actor: Viewer | None, trip_city_id: int, offset: int, now: datetime
) -> None:
    """Move a stop one place up (-1) or down (+1): the keyboard way to reorder.

    Raises:
        NotFound, PermissionDenied; Conflict: already first/last.
    """
    if offset not in (-1, 1) or isinstance(offset, bool):
        raise ValidationFailed({"city": "Move a city one place up or down"})
    row, _access = _stop(session, actor, trip_city_id)
    ordered = list(
        session.execute(
            select(TripCity.id).where(TripCity.trip_id == row.trip_id).order_by(TripCity.position)
        ).scalars()
    )
    index = ordered.index(row.id)
    target = index + offset
    if not 0 <= target < len(ordered):
        raise Conflict("That city is already " + ("first" if offset < 0 else "last"))
    count_trip_change(session, actor, now)
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(session, row.trip_id, ordered)
    trip_changed(session, row.trip_id, CITIES)


def stops_outside(session: Session, trip_id: int, start: date | None, end: date | None) -> int:
    """How many of the trip's stops have dates outside [start, end] (any date: no dates)."""
    query = select(func.count(TripCity.id)).where(TripCity.trip_id == trip_id)
    dated = (TripCity.arrival_date.is_not(None)) | (TripCity.departure_date.is_not(None))
    if start is None or end is None:
        return session.execute(query.where(dated)).scalar_one()
    outside = (
        (TripCity.arrival_date < start)
        | (TripCity.arrival_date > end)
        | (TripCity.departure_date < start)
        | (TripCity.departure_date > end)
    )
    return session.execute(query.where(outside)).scalar_one()
