"""Completed trips on a profile's history tab (§2.2): visibility, blocks, membership."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.models.enums import CompanionStatus, ModerationStatus, TripStatus, Visibility
from citypulse.services.profiles.pages import profile_page
from citypulse.services.trips.history import completed_trips
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, block, make_trip
from tests.support.factories import create_city


def done(session: Session, owner, title, visibility=Visibility.public, end=date(2025, 1, 5)):
    trip = make_trip(session, owner, title=title, visibility=visibility,
                     start=date(end.year, end.month, 1), end=end)  # fmt: skip
    trip.status = TripStatus.completed
    session.add(trip)
    session.flush()
    return trip


def titles(session: Session, viewer, user) -> list[str]:
    page = profile_page(session, viewer=viewer_of(viewer) if viewer else None,
                        username=user.username, tab="history")  # fmt: skip
    assert page.tab == "history"
    return [trip.title for trip in page.trips]


def test_history_lists_visible_completed_trips(session: Session, people: People) -> None:
    lisbon, porto = create_city(session, name="Lisbon"), create_city(session, name="Porto")
    public = done(session, people.alice, "Public spring", end=date(2025, 4, 9))
    session.add_all([TripCity(trip_id=public.id, city_id=lisbon.id, position=1),
                     TripCity(trip_id=public.id, city_id=porto.id, position=2)])  # fmt: skip
    done(session, people.alice, "Buddies winter", Visibility.friends_only)
    done(session, people.alice, "Private autumn", Visibility.private, end=date(2024, 10, 3))
    make_trip(session, people.alice, title="Still planning", visibility=Visibility.public)
    removed = done(session, people.alice, "Removed trip")
    removed.moderation_status = ModerationStatus.removed
    session.add(removed)
    joined = done(session, people.bob, "Bob's with Alice", end=date(2025, 2, 1))
    add_member(session, joined, people.alice)
    left = done(session, people.bob, "Alice left this one")
    add_member(session, left, people.alice, status=CompanionStatus.left)

    owner_view = titles(session, people.alice, people.alice)
    assert owner_view == ["Public spring", "Bob's with Alice", "Buddies winter", "Private autumn"]
    assert titles(session, people.dave, people.alice) == [  # dave is alice's buddy
        "Public spring", "Bob's with Alice", "Buddies winter"]  # fmt: skip
    assert titles(session, people.carol, people.alice) == ["Public spring", "Bob's with Alice"]
    assert titles(session, None, people.alice) == ["Public spring", "Bob's with Alice"]
    first = completed_trips(session, viewer_id=None, user_id=people.alice.id)[0]
    assert (first.cities, first.owned) == (("Lisbon", "Porto"), True)
    assert not completed_trips(session, viewer_id=None, user_id=people.alice.id)[1].owned


def test_blocks_hide_trips_of_the_blocked_owner(session: Session, people: People) -> None:
    joined = done(session, people.bob, "Bob's with Alice")
    add_member(session, joined, people.alice)
    done(session, people.alice, "Alice's own")
    block(session, people.bob, people.carol)  # bob blocked carol: his trip is hidden from her
    assert titles(session, people.carol, people.alice) == ["Alice's own"]
    assert titles(session, people.dave, people.alice) == ["Alice's own", "Bob's with Alice"]


def test_other_tabs_carry_no_trips(session: Session, people: People) -> None:
    done(session, people.alice, "Public spring")
    page = profile_page(session, viewer=None, username=people.alice.username)
    assert page.tab == "recommendations" and page.trips == ()
