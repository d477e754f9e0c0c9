"""Itinerary by day (PRODUCT.md §4.6.7, journey §7.21)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import Session, select

from citypulse.models import ItineraryItem
from citypulse.models.enums import CompanionRole, Visibility
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips.cities import CityStopForm, trip_city_add, trip_city_update
from citypulse.services.trips.itinerary import ItemForm, item_add, item_delete, item_update
from citypulse.services.trips.pages import trip_page
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import (
    People,
    add_member,
    make_trip,
    run,
    run_with_events,
    trip_events,
)


@pytest.fixture
def june(session: Session, people: People):
    """Journey §7.21: a 10–14 June trip with Toronto and Montreal."""
    trip = make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))
    for name in ("Toronto, Canada", "Montreal, Canada"):
        run(
            session, trip_city_add, people.alice, trip_id=trip.id, form=CityStopForm(city_text=name)
        )
    return trip


def test_journey_7_21_dates_within_the_trip_and_day_numbers(
    session: Session, people: People, june
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(
            session,
            item_add,
            people.alice,
            trip_id=june.id,
            form=ItemForm(title="Late show", activity_date="2026-06-16"),
        )
    assert refused.value.field_errors["activity_date"] == (
        "Activity date must be within the trip dates (10 Jun 2026 – 14 Jun 2026)"
    )
    item_id, events = run_with_events(
        session,
        item_add,
        people.alice,
        trip_id=june.id,
        form=ItemForm(title="CN Tower", activity_date="2026-06-11"),
    )
    assert session.get(ItineraryItem, item_id).day_number == 2
    assert trip_events(events) == [(june.id, ("itinerary",))]
    page = trip_page(session, viewer=viewer_of(people.alice), trip_id=june.id)
    assert [(d.label, [a.title for a in d.activities]) for d in page.days] == [
        ("Day 2 · 11 Jun 2026", ["CN Tower"])
    ]


def test_order_is_day_then_time_nulls_last_then_adding(
    session: Session, people: People, june
) -> None:
    for title, day, start in [
        ("Dinner", "2026-06-10", "19:00"),
        ("Anytime", "2026-06-10", ""),
        ("Breakfast", "2026-06-10", "08:00"),
        ("Later", "2026-06-10", ""),
        ("Day two", "2026-06-11", "07:00"),
    ]:
        run(
            session,
            item_add,
            people.alice,
            trip_id=june.id,
            form=ItemForm(title=title, activity_date=day, start_time=start),
        )
    page = trip_page(session, viewer=viewer_of(people.alice), trip_id=june.id)
    assert [[a.title for a in d.activities] for d in page.days] == [
        ["Breakfast", "Dinner", "Anytime", "Later"],
        ["Day two"],
    ]


def test_linked_city_dates_bound_the_activity(session: Session, people: People, june) -> None:
    page = trip_page(session, viewer=viewer_of(people.alice), trip_id=june.id)
    toronto = page.cities[0]
    run(
        session,
        trip_city_update,
        people.alice,
        trip_city_id=toronto.id,
        version=None,
        form=CityStopForm(arrival_date="2026-06-10", departure_date="2026-06-11"),
    )
    with pytest.raises(ValidationFailed) as refused:
        run(
            session,
            item_add,
            people.alice,
            trip_id=june.id,
            form=ItemForm(title="Zoo", activity_date="2026-06-13", trip_city_id=str(toronto.id)),
        )
    assert refused.value.field_errors["activity_date"] == (
        "Activity date must be within Toronto's dates (10 Jun 2026 – 11 Jun 2026)"
    )


def test_trips_without_dates_use_day_numbers(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    with pytest.raises(ValidationFailed) as refused:
        run(
            session,
            item_add,
            people.alice,
            trip_id=trip.id,
            form=ItemForm(title="Museum", activity_date="2026-06-11"),
        )
    assert refused.value.field_errors == {
        "activity_date": "This trip has no dates: choose a day number instead",
        "day_number": "Day must be a whole number from 1 to 365",
    }
    item_id = run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(title="Museum", day_number="3", start_time="10:30"),
    )
    item = session.get(ItineraryItem, item_id)
    assert (item.day_number, item.activity_date, item.start_time) == (3, None, time(10, 30))


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (ItemForm(title="", activity_date="2026-06-11"), "title"),
        (ItemForm(title="x", activity_date=""), "activity_date"),
        (ItemForm(title="x", activity_date="2026-06-11", start_time="25:00"), "start_time"),
        (ItemForm(title="x", activity_date="2026-06-11", duration_minutes="0"), "duration_minutes"),
        (ItemForm(title="x", activity_date="2026-06-11", estimated_cost="1.234"), "estimated_cost"),
        (ItemForm(title="x", activity_date="2026-06-11", activity_type="party"), "activity_type"),
        (ItemForm(title="x", activity_date="2026-06-11", status="done"), "status"),
        (ItemForm(title="x", activity_date="2026-06-11", trip_city_id="999999"), "trip_city_id"),
        (ItemForm(title="x", activity_date="2026-06-11", notes="n" * 1001), "notes"),
    ],
)
def test_invalid_fields_are_refused(session: Session, people: People, june, form, field) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(session, item_add, people.alice, trip_id=june.id, form=form)
    assert field in refused.value.field_errors


def test_edit_moves_the_day_and_checks_the_version(session: Session, people: People, june) -> None:
    item_id = run(
        session,
        item_add,
        people.alice,
        trip_id=june.id,
        form=ItemForm(title="CN Tower", activity_date="2026-06-11"),
    )
    seen = session.get(ItineraryItem, item_id).updated_at
    run(
        session,
        item_update,
        people.alice,
        item_id=item_id,
        version=seen,
        form=ItemForm(title="CN Tower at dusk", activity_date="2026-06-14"),
    )
    session.expire_all()
    item = session.get(ItineraryItem, item_id)
    assert (item.title, item.day_number) == ("CN Tower at dusk", 5)
    with pytest.raises(Conflict, match="Someone else changed this activity meanwhile"):
        run(
            session,
            item_update,
            people.alice,
            item_id=item_id,
            version=seen,
            form=ItemForm(title="Mine", activity_date="2026-06-14"),
        )


def test_collaborative_participants_add_edit_and_delete_their_own(
    session: Session, people: People
) -> None:
    trip = make_trip(
        session,
        people.alice,
        visibility=Visibility.public,
        start=date(2026, 6, 10),
        end=date(2026, 6, 14),
    )
    add_member(session, trip, people.dave)
    add_member(session, trip, people.bob, CompanionRole.organizer)
    form = ItemForm(title="Walk", activity_date="2026-06-12")
    alices = run(session, item_add, people.alice, trip_id=trip.id, form=form)
    with pytest.raises(PermissionDenied):
        run(session, item_add, people.dave, trip_id=trip.id, form=form)
    trip.is_collaborative = True
    session.add(trip)
    session.flush()
    daves = run(session, item_add, people.dave, trip_id=trip.id, form=form)
    run(
        session,
        item_update,
        people.dave,
        item_id=alices,
        version=None,
        form=ItemForm(title="Long walk", activity_date="2026-06-12"),
    )
    with pytest.raises(PermissionDenied):
        run(session, item_delete, people.dave, item_id=alices)
    run(session, item_delete, people.dave, item_id=daves)
    run(session, item_delete, people.bob, item_id=alices)
    assert session.exec(select(ItineraryItem).where(ItineraryItem.trip_id == trip.id)).all() == []
    with pytest.raises(PermissionDenied):
        run(session, item_add, people.carol, trip_id=trip.id, form=form)


def test_dave_gets_not_found_on_alices_private_itinerary(session: Session, people: People) -> None:
    trip = make_trip(
        session,
        people.alice,
        visibility=Visibility.private,
        start=date(2026, 6, 10),
        end=date(2026, 6, 14),
    )
    form = ItemForm(title="Secret", activity_date="2026-06-12")
    item_id = run(session, item_add, people.alice, trip_id=trip.id, form=form)
    for service, kwargs in [
        (item_add, {"trip_id": trip.id, "form": form}),
        (item_update, {"item_id": item_id, "form": form, "version": None}),
        (item_delete, {"item_id": item_id}),
    ]:
        with pytest.raises(NotFound):
            run(session, service, people.dave, **kwargs)
    with pytest.raises(NotFound):
        trip_page(session, viewer=viewer_of(people.dave), trip_id=trip.id)
