"""A trip's cities (PRODUCT.md §4.6.6): append, edit, remove, reorder, positions 1..n."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from citypulse.models import ItineraryItem, TripCity
from citypulse.models.enums import CompanionRole, Visibility
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips.cities import (
    CityStopForm,
    trip_cities_reorder,
    trip_city_add,
    trip_city_move,
    trip_city_remove,
    trip_city_update,
)
from citypulse.services.trips.itinerary import ItemForm, item_add
from tests.integration.trips.support import (
    People,
    add_member,
    make_trip,
    run,
    run_with_events,
    trip_events,
)


def order(session: Session, trip_id: int) -> list[tuple[int, int]]:
    """(position, stop id) of the trip's stops as stored."""
    session.expire_all()
    rows = session.exec(select(TripCity).where(TripCity.trip_id == trip_id)).all()
    return sorted((row.position, row.id) for row in rows)


def add(session: Session, people: People, trip_id: int, *names: str) -> list[int]:
    return [
        run(session, trip_city_add, people.alice, trip_id=trip_id, form=CityStopForm(city_text=n))
        for n in names
    ]


@pytest.fixture
def trip(session: Session, people: People):
    return make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))


def test_cities_append_last_and_publish(session: Session, people: People, trip) -> None:
    toronto, montreal = add(session, people, trip.id, "Toronto, Canada", "Montreal, Canada")
    assert order(session, trip.id) == [(1, toronto), (2, montreal)]
    _, events = run_with_events(
        session,
        trip_city_add,
        people.alice,
        trip_id=trip.id,
        form=CityStopForm(city_text="Quebec City, Canada"),
    )
    assert trip_events(events) == [(trip.id, ("cities",))]


def test_add_refuses_duplicates_bad_dates_and_a_21st_city(
    session: Session, people: People, trip
) -> None:
    add(session, people, trip.id, "Toronto, Canada")
    cases = [
        (CityStopForm(city_text="toronto, canada"), "city", "Toronto is already on this trip"),
        (
            CityStopForm(city_text="Nowhere"),
            "city",
            'Enter the city as "City, Country" or "City, State, Country"',
        ),
        (
            CityStopForm(city_text="Ottawa, Canada", arrival_date="2026-06-20"),
            "arrival_date",
            "City dates must be within the trip dates (10 Jun 2026 – 14 Jun 2026)",
        ),
        (
            CityStopForm(
                city_text="Ottawa, Canada", arrival_date="2026-06-12", departure_date="2026-06-11"
            ),
            "departure_date",
            "Departure must be on or after arrival",
        ),
    ]
    for form, field, message in cases:
        with pytest.raises(ValidationFailed) as refused:
            run(session, trip_city_add, people.alice, trip_id=trip.id, form=form)
        assert refused.value.field_errors[field] == message
    add(session, people, trip.id, *(f"Town {n}, Canada" for n in range(19)))
    with pytest.raises(ValidationFailed, match="at most 20 cities"):
        add(session, people, trip.id, "Ottawa, Canada")


def test_update_with_version_check(session: Session, people: People, trip) -> None:
    [stop_id] = add(session, people, trip.id, "Toronto, Canada")
    seen = session.get(TripCity, stop_id).updated_at
    form = CityStopForm(arrival_date="2026-06-10", departure_date="2026-06-12", notes="Hotel")
    run(session, trip_city_update, people.alice, trip_city_id=stop_id, form=form, version=seen)
    session.expire_all()
    stop = session.get(TripCity, stop_id)
    assert (stop.arrival_date, stop.notes) == (date(2026, 6, 10), "Hotel")
    with pytest.raises(Conflict, match="Someone else changed this city meanwhile"):
        run(session, trip_city_update, people.alice, trip_city_id=stop_id, form=form, version=seen)


def test_remove_closes_the_gap_and_unlinks_items(session: Session, people: People, trip) -> None:
    a, b, c = add(session, people, trip.id, "Toronto, Canada", "Montreal, Canada", "Ottawa, Canada")
    item_id = run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(title="Poutine", activity_date="2026-06-12", trip_city_id=str(b)),
    )
    _, events = run_with_events(session, trip_city_remove, people.alice, trip_city_id=b)
    assert order(session, trip.id) == [(1, a), (2, c)]
    assert session.get(ItineraryItem, item_id).trip_city_id is None
    assert trip_events(events) == [(trip.id, ("cities", "itinerary"))]


def test_reorder_and_keyboard_moves_keep_positions_contiguous(
    session: Session, people: People, trip
) -> None:
    a, b, c = add(session, people, trip.id, "Toronto, Canada", "Montreal, Canada", "Ottawa, Canada")
    run(session, trip_cities_reorder, people.alice, trip_id=trip.id, ordered_ids=[c, a, b])
    assert order(session, trip.id) == [(1, c), (2, a), (3, b)]
    run(session, trip_city_move, people.alice, trip_city_id=b, offset=-1)
    assert order(session, trip.id) == [(1, c), (2, b), (3, a)]
    with pytest.raises(Conflict, match="already first"):
        run(session, trip_city_move, people.alice, trip_city_id=c, offset=-1)
    with pytest.raises(Conflict, match="The cities have changed"):
        run(session, trip_cities_reorder, people.alice, trip_id=trip.id, ordered_ids=[a, b])
    with pytest.raises(Conflict):
        run(session, trip_cities_reorder, people.alice, trip_id=trip.id, ordered_ids=[a, a, b])


def test_participants_edit_only_on_collaborative_trips_and_remove_their_own(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave)
    add_member(session, trip, people.bob, CompanionRole.organizer)
    [alices] = add(session, people, trip.id, "Toronto, Canada")
    with pytest.raises(PermissionDenied):
        run(
            session,
            trip_city_add,
            people.dave,
            trip_id=trip.id,
            form=CityStopForm(city_text="Montreal, Canada"),
        )
    trip.is_collaborative = True
    session.add(trip)
    session.flush()
    daves = run(
        session,
        trip_city_add,
        people.dave,
        trip_id=trip.id,
        form=CityStopForm(city_text="Montreal, Canada"),
    )
    with pytest.raises(PermissionDenied):
        run(session, trip_city_remove, people.dave, trip_city_id=alices)
    run(session, trip_city_remove, people.dave, trip_city_id=daves)
    run(session, trip_city_remove, people.bob, trip_city_id=alices)  # organizers remove any
    assert order(session, trip.id) == []


def test_strangers_and_dave_on_a_private_trip_change_nothing(
    session: Session, people: People
) -> None:
    public = make_trip(session, people.alice, visibility=Visibility.public, collaborative=True)
    private = make_trip(session, people.alice, visibility=Visibility.private)
    [stop] = add(session, people, private.id, "Toronto, Canada")
    [public_stop] = add(session, people, public.id, "Toronto, Canada")
    form = CityStopForm(city_text="Montreal, Canada")
    with pytest.raises(PermissionDenied):
        run(session, trip_city_add, people.carol, trip_id=public.id, form=form)
    with pytest.raises(PermissionDenied):
        run(session, trip_city_move, people.carol, trip_city_id=public_stop, offset=1)
    calls = [
        (trip_city_add, {"trip_id": private.id, "form": form}),
        (trip_city_update, {"trip_city_id": stop, "form": form, "version": None}),
        (trip_city_remove, {"trip_city_id": stop}),
        (trip_city_move, {"trip_city_id": stop, "offset": 1}),
        (trip_cities_reorder, {"trip_id": private.id, "ordered_ids": [stop]}),
    ]
    for service, kwargs in calls:
        with pytest.raises(NotFound):
            run(session, service, people.dave, **kwargs)
    with pytest.raises(NotFound):
        run(session, trip_city_remove, people.alice, trip_city_id=2_000_000_000)
