"""What /trips and /trips/[id] read (PRODUCT.md §2.2)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.models.enums import CompanionRole, CompanionStatus, TripStatus, Visibility
from citypulse.services.errors import NotFound
from citypulse.services.trips.my_trips import my_trips
from citypulse.services.trips.pages import trip_page
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, block, make_trip
from tests.support.factories import create_city


def test_my_trips_lists_owned_joined_and_invitations_with_counts(
    session: Session, people: People
) -> None:
    own = make_trip(session, people.alice, title="Alice planning")
    done = make_trip(session, people.alice, title="Alice done")
    done.status = TripStatus.completed
    joined = make_trip(session, people.dave, title="Dave's", visibility=Visibility.public)
    add_member(session, joined, people.alice, CompanionRole.organizer)
    invite = make_trip(session, people.dave, title="Invited")
    add_member(session, invite, people.alice, status=CompanionStatus.invited)
    make_trip(session, people.bob, title="Not mine", visibility=Visibility.public)
    for index, name in enumerate(("Lisbon", "Porto", "Faro"), start=1):
        session.add(
            TripCity(trip_id=own.id, city_id=create_city(session, name=name).id, position=index)
        )
    session.flush()
    result = my_trips(session, viewer=viewer_of(people.alice))
    assert {c.title for c in result.trips} == {"Alice planning", "Alice done", "Dave's"}
    assert [c.title for c in result.invitations] == ["Invited"]
    assert (
        result.counts["planning"] == 2
        and result.counts["completed"] == 1
        and result.counts["all"] == 3
    )
    assert (result.counts["owned"], result.counts["joined"], result.counts["invited"]) == (2, 1, 1)
    card = next(c for c in result.trips if c.id == own.id)
    assert (card.cities_label, card.is_owner, card.role) == ("Lisbon, Porto +1 more", True, "owner")
    assert next(c for c in result.trips if c.id == joined.id).role == "organizer"
    completed = my_trips(session, viewer=viewer_of(people.alice), status="completed")
    assert [c.title for c in completed.trips] == ["Alice done"]


def test_blocked_owner_trips_leave_my_list(session: Session, people: People) -> None:
    trip = make_trip(session, people.dave, visibility=Visibility.public)
    add_member(session, trip, people.alice)
    block(session, people.dave, people.alice)
    assert my_trips(session, viewer=viewer_of(people.alice)).trips == ()


def test_trip_page_permissions_by_role(session: Session, people: People) -> None:
    trip = make_trip(
        session,
        people.alice,
        visibility=Visibility.public,
        start=date(2026, 6, 10),
        end=date(2026, 6, 14),
    )
    add_member(session, trip, people.dave)
    owner = trip_page(session, viewer=viewer_of(people.alice), trip_id=trip.id).permissions
    assert (
        owner.is_owner and owner.can_edit_details and owner.next_statuses == ("active", "cancelled")
    )
    member = trip_page(session, viewer=viewer_of(people.dave), trip_id=trip.id).permissions
    assert (member.role, member.can_edit_plan, member.can_add_place, member.next_statuses) == (
        "participant",
        False,
        True,
        (),
    )
    visitor = trip_page(session, viewer=None, trip_id=trip.id)
    assert visitor.trip.owner_name == "Alice Martins"
    assert (
        not visitor.permissions.can_add_place
        and visitor.trip.dates_label == "10 Jun 2026 – 14 Jun 2026"
    )


def test_trip_page_is_not_found_for_hidden_trips(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.private)
    for user in (None, people.dave, people.bob):
        with pytest.raises(NotFound):
            trip_page(session, viewer=viewer_of(user) if user else None, trip_id=trip.id)
