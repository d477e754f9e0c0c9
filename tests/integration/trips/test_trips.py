"""Trips: create, edit, status, cover, delete (PRODUCT.md §4.6.2–§4.6.4, §4.6.11)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa
from PIL import Image
from sqlmodel import Session, select

from citypulse.media.storage import path_for
from citypulse.models import (
    CityVisit,
    ItineraryItem,
    Trip,
    TripCity,
    TripCompanion,
)
from citypulse.models.enums import CompanionRole, CompanionStatus, Visibility
from citypulse.seed.reference import seed_achievements
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips.cities import CityStopForm
from citypulse.services.trips.itinerary import ItemForm, item_add
from citypulse.services.trips.trips import (
    TripForm,
    trip_cover_set,
    trip_create,
    trip_delete,
    trip_set_status,
    trip_update,
)
from tests.integration.trips.support import (
    NOW,
    People,
    add_member,
    make_trip,
    run,
    run_with_events,
    trip_events,
)
from tests.support.factories import create_city

JUNE = TripForm(title="Canada in June", start_date="2026-06-10", end_date="2026-06-14")


def jpeg(width: int = 900, height: int = 300) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_create_makes_the_owner_and_ordered_cities(session: Session, people: People) -> None:
    create_city(session, name="Toronto", country="Canada")
    stops = [
        CityStopForm(city_text="Toronto, Canada", arrival_date="2026-06-10", notes="CN Tower"),
        CityStopForm(city_text="Montreal, Canada", departure_date="2026-06-14"),
    ]
    trip_id = run(session, trip_create, people.alice, form=JUNE, cities=stops)
    trip = session.get(Trip, trip_id)
    assert (trip.title, trip.start_date, trip.status) == (
        "Canada in June",
        date(2026, 6, 10),
        "planning",
    )
    assert trip.visibility == Visibility.friends_only  # the creator's default
    owner = session.exec(select(TripCompanion).where(TripCompanion.trip_id == trip_id)).one()
    assert (owner.user_id, owner.role, owner.status) == (people.alice.id, "owner", "accepted")
    stops = session.exec(
        select(TripCity).where(TripCity.trip_id == trip_id).order_by(TripCity.position)
    ).all()
    assert [s.position for s in stops] == [1, 2]
    assert stops[0].notes == "CN Tower"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (TripForm(title="ab"), "title", "Title must be 3–200 characters"),
        (
            TripForm(title="Trip", start_date="2026-06-10"),
            "end_date",
            "Enter both the start and end dates, or neither",
        ),
        (
            TripForm(title="Trip", start_date="2026-06-10", end_date="2026-06-01"),
            "end_date",
            "End date must be on or after the start date",
        ),
        (
            TripForm(title="Trip", start_date="2026-01-01", end_date="2027-01-01"),
            "end_date",
            "A trip can last at most 365 days",
        ),
        (
            TripForm(title="Trip", start_date="10/06/2026", end_date="2026-06-11"),
            "start_date",
            "Enter a date like 2026-06-10",
        ),
        (
            TripForm(title="Trip", total_budget="-5"),
            "total_budget",
            "Budget must be a number from 0 to 10,000,000 with at most 2 decimals",
        ),
        (
            TripForm(title="Trip", currency="EURO"),
            "currency",
            "Currency must be a 3-letter ISO 4217 code, like USD",
        ),
        (TripForm(title="Trip", visibility="everyone"), "visibility", "Choose a valid visibility"),
    ],
)
def test_create_refuses_invalid_fields(
    session: Session, people: People, form: TripForm, field: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(session, trip_create, people.alice, form=form)
    assert refused.value.field_errors[field] == message


def test_create_refuses_city_dates_outside_the_trip_and_duplicates(
    session: Session, people: People
) -> None:
    stops = [
        CityStopForm(city_text="Toronto, Canada", arrival_date="2026-06-01"),
        CityStopForm(city_text="Toronto, Canada"),
    ]
    with pytest.raises(ValidationFailed) as refused:
        run(session, trip_create, people.alice, form=JUNE, cities=stops)
    errors = refused.value.field_errors
    assert errors["cities.0.arrival_date"].startswith("City dates must be within the trip dates")
    assert errors["cities.1.city"] == "Toronto is already on this trip"


def test_create_needs_an_active_signed_in_user(session: Session, people: People) -> None:
    with pytest.raises(PermissionDenied):
        run(session, trip_create, None, form=JUNE)


def test_update_by_organizer_and_the_version_check(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave, CompanionRole.organizer)
    seen = trip.updated_at
    _, events = run_with_events(
        session,
        trip_update,
        people.dave,
        trip_id=trip.id,
        form=TripForm(title="Renamed trip"),
        version=seen,
    )
    assert session.get(Trip, trip.id).title == "Renamed trip"
    assert trip_events(events) == [(trip.id, ("details",))]
    with pytest.raises(Conflict, match="Someone else changed this trip meanwhile"):
        run(
            session,
            trip_update,
            people.alice,
            trip_id=trip.id,
            form=TripForm(title="Mine"),
            version=seen,
        )


def test_visibility_is_the_owners_and_private_needs_no_members(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave, CompanionRole.organizer)
    with pytest.raises(PermissionDenied):
        run(
            session,
            trip_update,
            people.dave,
            trip_id=trip.id,
            form=TripForm(title=trip.title, visibility="public"),
            version=None,
        )
    with pytest.raises(Conflict, match="Remove the other members before making this trip private"):
        run(
            session,
            trip_update,
            people.alice,
            trip_id=trip.id,
            form=TripForm(title=trip.title, visibility="private"),
            version=None,
        )


def test_private_switch_revokes_the_share_link(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    trip.share_token_hash = "a" * 64
    session.add(trip)
    session.flush()
    run(
        session,
        trip_update,
        people.alice,
        trip_id=trip.id,
        form=TripForm(title=trip.title, visibility="private"),
        version=None,
    )
    session.refresh(trip)
    assert (trip.visibility, trip.share_token_hash) == ("private", None)


def test_updates_are_refused_to_participants_strangers_and_dave_on_private(
    session: Session, people: People
) -> None:
    public = make_trip(session, people.alice, visibility=Visibility.public, collaborative=True)
    add_member(session, public, people.bob)
    private = make_trip(session, people.alice, visibility=Visibility.private)
    form = TripForm(title="Hijacked")
    for user in (people.bob, people.carol):
        with pytest.raises(PermissionDenied):
            run(session, trip_update, user, trip_id=public.id, form=form, version=None)
    with pytest.raises(NotFound):
        run(session, trip_update, people.dave, trip_id=private.id, form=form, version=None)
    for service, kwargs in (
        (trip_set_status, {"status": "active"}),
        (trip_delete, {}),
        (trip_cover_set, {"data": None}),
    ):
        with pytest.raises(NotFound):
            run(session, service, people.dave, trip_id=private.id, **kwargs)


def test_date_change_stranding_activities_is_refused(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))
    for day in ("2026-06-13", "2026-06-14"):
        run(
            session,
            item_add,
            people.alice,
            trip_id=trip.id,
            form=ItemForm(title="Walk", activity_date=day),
        )
    shorter = TripForm(title=trip.title, start_date="2026-06-10", end_date="2026-06-12")
    with pytest.raises(ValidationFailed) as refused:
        run(session, trip_update, people.alice, trip_id=trip.id, form=shorter, version=None)
    assert refused.value.field_errors["start_date"] == "2 activities fall outside the new dates"
    earlier = TripForm(title=trip.title, start_date="2026-06-12", end_date="2026-06-16")
    _, events = run_with_events(
        session, trip_update, people.alice, trip_id=trip.id, form=earlier, version=None
    )
    days = sorted(
        session.exec(select(ItineraryItem.day_number).where(ItineraryItem.trip_id == trip.id)).all()
    )
    assert days == [2, 3]  # 13 and 14 June, counted from the new start
    assert trip_events(events) == [(trip.id, ("details", "itinerary"))]


def test_status_transitions(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))
    assert run(session, trip_set_status, people.alice, trip_id=trip.id, status="active") == "active"
    with pytest.raises(Conflict, match="A active trip cannot become active"):
        run(session, trip_set_status, people.alice, trip_id=trip.id, status="active")
    with pytest.raises(Conflict, match="completed once its end date has come"):
        run(session, trip_set_status, people.alice, trip_id=trip.id, status="completed")
    run(session, trip_set_status, people.alice, trip_id=trip.id, status="cancelled")
    with pytest.raises(Conflict):
        run(session, trip_set_status, people.alice, trip_id=trip.id, status="active")
    assert (
        run(session, trip_set_status, people.alice, trip_id=trip.id, status="planning")
        == "planning"
    )


def test_completing_adds_city_visits_for_accepted_members_and_is_final(
    session: Session, people: People
) -> None:
    seed_achievements(session)
    end = NOW.date() - timedelta(days=1)
    trip = make_trip(session, people.alice, start=end - timedelta(days=3), end=end)
    add_member(session, trip, people.dave)
    add_member(session, trip, people.carol, status=CompanionStatus.invited)
    lisbon = create_city(session, name="Lisboa", country="Portugal")
    session.add(TripCity(trip_id=trip.id, city_id=lisbon.id, position=1))
    session.flush()
    run(session, trip_set_status, people.alice, trip_id=trip.id, status="active")
    run(session, trip_set_status, people.alice, trip_id=trip.id, status="completed")
    visitors = set(
        session.exec(select(CityVisit.user_id).where(CityVisit.city_id == lisbon.id)).all()
    )
    assert visitors == {people.alice.id, people.dave.id}
    visit = session.exec(select(CityVisit).where(CityVisit.user_id == people.dave.id)).one()
    assert (visit.source, visit.visit_month) == ("trip", end.strftime("%Y-%m"))
    unlocked = session.execute(
        sa.text(
            "SELECT a.code FROM user_achievements ua "
            "JOIN achievements a ON a.id = ua.achievement_id "
            "WHERE ua.user_id = :u AND ua.completed_at IS NOT NULL"
        ),
        {"u": people.dave.id},
    ).scalars()
    assert "weekend_wanderer" in set(unlocked)
    for status in ("planning", "cancelled", "active"):
        with pytest.raises(Conflict):
            run(session, trip_set_status, people.alice, trip_id=trip.id, status=status)


def test_participants_cannot_change_status(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, collaborative=True)
    add_member(session, trip, people.dave)
    with pytest.raises(PermissionDenied):
        run(session, trip_set_status, people.dave, trip_id=trip.id, status="active")


def test_cover_is_processed_replaced_and_removed(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    key = run(session, trip_cover_set, people.alice, trip_id=trip.id, data=jpeg())
    assert key and path_for(key).exists()
    with Image.open(path_for(key)) as image:
        assert image.size == (1200, 400)
    with pytest.raises(ValidationFailed) as refused:
        run(session, trip_cover_set, people.alice, trip_id=trip.id, data=b"%PDF-1.4 not an image")
    assert "cover" in refused.value.field_errors
    assert run(session, trip_cover_set, people.alice, trip_id=trip.id, data=None) is None
    assert not path_for(key).exists()


def test_delete_is_the_owners_and_cascades(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, start=date(2026, 6, 10), end=date(2026, 6, 14))
    add_member(session, trip, people.dave, CompanionRole.organizer)
    run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(title="Walk", activity_date="2026-06-11"),
    )
    with pytest.raises(PermissionDenied):
        run(session, trip_delete, people.dave, trip_id=trip.id)
    _, events = run_with_events(session, trip_delete, people.alice, trip_id=trip.id)
    session.expire_all()
    assert session.get(Trip, trip.id) is None
    assert (
        session.exec(select(ItineraryItem).where(ItineraryItem.trip_id == trip.id)).first() is None
    )
    assert (
        session.exec(select(TripCompanion).where(TripCompanion.trip_id == trip.id)).first() is None
    )
    assert trip_events(events) == [(trip.id, ("details",))]


def test_control_characters_are_field_errors(session: Session, people: People) -> None:
    form = TripForm(title="Nul\x00trip", description="Bad\x00text", currency="US\x00")
    with pytest.raises(ValidationFailed) as refused:
        run(session, trip_create, people.alice, form=form)
    assert set(refused.value.field_errors) == {"title", "description", "currency"}
