"""Travellers to a city (PRODUCT.md §4.6.12): who is listed, privacy, blocks, paging."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.models.enums import CompanionStatus, TripStatus, Visibility
from citypulse.services.errors import PermissionDenied, ValidationFailed
from citypulse.services.recommendations.city_page import city_page
from citypulse.services.trips import travellers as t
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, block, make_trip
from tests.support.factories import create_city, create_user

TODAY = date(2025, 3, 10)
PUBLIC = {"visibility": Visibility.public}


def trip_to(session: Session, owner, city, *, start=date(2025, 5, 1), days=4, **kw):
    trip = make_trip(session, owner, start=start, end=start + timedelta(days=days), **kw)
    session.add(TripCity(trip_id=trip.id, city_id=city.id, position=1))
    session.flush()
    return trip


def names(page) -> list[str]:
    items = page.travellers if isinstance(page, t.TravellersPage) else page
    return [item.username for item in items]


def listed(session: Session, user, city, start=None, end=None, cursor=None) -> t.TravellersPage:
    return t.travellers_to_city(session, viewer=viewer_of(user), city_id=city.id, start=start,
                                end=end, today=TODAY, cursor=cursor)  # fmt: skip


def test_owners_and_accepted_members_of_visible_trips(session: Session, people: People) -> None:
    lisbon, porto = create_city(session, name="Lisbon"), create_city(session, name="Porto")
    bobs = trip_to(session, people.bob, lisbon, title="Bob in Lisbon", **PUBLIC)
    add_member(session, bobs, people.carol)  # accepted: travels too
    erin = create_user(session, username="t_erin")
    add_member(session, bobs, erin, status=CompanionStatus.invited)  # not yet travelling
    trip_to(session, create_user(session, username="t_porto"), porto, **PUBLIC)
    page = listed(session, people.dave, lisbon)
    assert names(page) == ["t_bob", "t_carol"]
    bob = page.travellers[0]
    assert (bob.trip_id, bob.trip_title, bob.start_date, bob.is_buddy) == (
        bobs.id, "Bob in Lisbon", date(2025, 5, 1), False)  # fmt: skip
    assert page.next_cursor is None


def test_privacy_and_status(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    trip_to(session, people.carol, lisbon, visibility=Visibility.private)  # private
    trip_to(session, people.bob, lisbon)  # friends_only, bob is no buddy of dave's
    trip_to(session, people.alice, lisbon)  # friends_only, alice is dave's buddy
    done = trip_to(session, create_user(session, username="t_done"), lisbon, **PUBLIC)
    done.status = TripStatus.completed
    cancelled = trip_to(session, create_user(session, username="t_cancel"), lisbon, **PUBLIC)
    cancelled.status = TripStatus.cancelled
    past = trip_to(session, create_user(session, username="t_past"), lisbon,
                   start=date(2025, 1, 1), **PUBLIC)  # fmt: skip
    session.add_all([done, cancelled, past])
    trip_to(session, create_user(session, username="t_gone", status="deactivated"), lisbon,
            **PUBLIC)  # fmt: skip
    trip_to(session, people.dave, lisbon, **PUBLIC)  # the viewer himself
    page = listed(session, people.dave, lisbon)
    assert names(page) == ["t_alice"] and page.travellers[0].is_buddy
    # carol sees neither alice's nor bob's friends_only trip; bob's stays hidden from
    # dave even as alice's buddy
    assert names(listed(session, people.carol, lisbon)) == ["t_dave"]


def test_blocks_either_way_hide_owner_and_member(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    bobs = trip_to(session, people.bob, lisbon, **PUBLIC)
    add_member(session, bobs, people.carol)
    assert names(listed(session, people.dave, lisbon)) == ["t_bob", "t_carol"]
    block(session, people.carol, people.dave)  # carol blocked dave: she is not shown
    assert names(listed(session, people.dave, lisbon)) == ["t_bob"]
    block(session, people.dave, people.bob)  # dave blocked bob: his trip is hidden
    assert names(listed(session, people.dave, lisbon)) == []
    assert names(listed(session, people.carol, lisbon)) == ["t_bob"]  # carol still sees bob


def test_date_range_and_one_row_per_traveller(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    first = trip_to(session, people.bob, lisbon, start=date(2025, 4, 1), **PUBLIC)
    trip_to(session, people.bob, lisbon, start=date(2025, 6, 1), **PUBLIC)
    trip_to(session, people.carol, lisbon, start=date(2025, 6, 3), **PUBLIC)
    page = listed(session, people.dave, lisbon)
    assert names(page) == ["t_bob", "t_carol"] and page.travellers[0].trip_id == first.id
    june = listed(session, people.dave, lisbon, date(2025, 6, 1), date(2025, 6, 2))
    assert names(june) == ["t_bob"] and june.travellers[0].start_date == date(2025, 6, 1)
    with pytest.raises(ValidationFailed) as one_date:
        listed(session, people.dave, lisbon, date(2025, 6, 1))
    assert one_date.value.field_errors == {"end": t.DATES_PAIR}
    with pytest.raises(ValidationFailed) as order:
        listed(session, people.dave, lisbon, date(2025, 6, 2), date(2025, 6, 1))
    assert order.value.field_errors == {"end": t.DATES_ORDER}


def test_keyset_pages_never_repeat(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    for n in range(t.PAGE_SIZE + 3):
        owner = create_user(session, username=f"t_tr{n:02}")
        trip_to(session, owner, lisbon, start=date(2025, 5, 1) + timedelta(days=n % 4), **PUBLIC)
    seen, cursor = [], None
    while True:
        page = listed(session, people.dave, lisbon, cursor=cursor)
        seen += names(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == t.PAGE_SIZE + 3
    # a crafted cursor restarts the list, never an error
    assert names(listed(session, people.dave, lisbon, cursor="nonsense"))[0] == seen[0]


def test_refusals_and_city_page_list(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisbon")
    trip_to(session, people.bob, lisbon, **PUBLIC)
    with pytest.raises(ValidationFailed):
        t.travellers_to_city(session, viewer=viewer_of(people.dave), city_id=None, today=TODAY)
    with pytest.raises(PermissionDenied):
        t.travellers_to_city(session, viewer=None, city_id=lisbon.id, today=TODAY)
    upcoming = t.upcoming_travellers(session, viewer=viewer_of(people.dave), city_id=lisbon.id,
                                     today=TODAY)  # fmt: skip
    assert names(upcoming) == ["t_bob"]
    assert t.upcoming_travellers(session, viewer=None, city_id=lisbon.id, today=TODAY) == ()
    gone = create_user(session, username="t_banned", status="banned")
    assert t.upcoming_travellers(session, viewer=viewer_of(gone), city_id=lisbon.id,
                                 today=TODAY) == ()  # fmt: skip


def test_city_page_upcoming_travellers(session: Session, people: People) -> None:
    lisbon = create_city(session, name="Lisboa")
    trip_to(session, people.bob, lisbon, start=date(2025, 5, 1), **PUBLIC)
    trip_to(session, people.carol, lisbon, visibility=Visibility.private)
    blocker = create_user(session, username="t_blocker")
    trip_to(session, blocker, lisbon, **PUBLIC)
    block(session, blocker, people.dave)

    def shown(user):
        page = city_page(session, viewer=viewer_of(user) if user else None, name="lisboa",
                         today=TODAY)  # fmt: skip
        return None if page.travellers is None else names(page.travellers)

    assert shown(None) is None  # "Upcoming travellers" is for signed-in viewers only
    assert shown(people.dave) == ["t_bob"]  # no private trip, nobody blocked
    assert shown(people.carol) == ["t_bob", "t_blocker"]  # same start: by user id
    # past trips are not upcoming
    assert city_page(session, viewer=viewer_of(people.dave), name="lisboa",
                     today=date(2025, 7, 1)).travellers == ()  # fmt: skip
