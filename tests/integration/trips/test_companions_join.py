"""Join requests (PRODUCT.md §4.6.5) and journey §7.24's service side."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    NotificationType,
    TripStatus,
    Visibility,
)
from citypulse.services.errors import Conflict, NotFound, PermissionDenied
from citypulse.services.trips import companions as c
from citypulse.services.trips import join_requests as j
from citypulse.services.trips.access import ORGANIZERS_ONLY
from tests.integration.support import NOW
from tests.integration.trips.support import People, add_member, block, connect, make_trip, run
from tests.integration.trips.test_companions import member, notes


def lisbon(session: Session, people: People, **kwargs: object):
    return make_trip(session, people.bob, title="Lisbon long weekend",
                     visibility=Visibility.public, start=date(2025, 5, 1),
                     end=date(2025, 5, 5), **kwargs)  # fmt: skip


def test_journey_7_24_carol_asks_bob_accepts(session: Session, people: People) -> None:
    trip = lisbon(session, people)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    run(session, j.join_request, people.carol, trip_id=trip.id, message="I'll be there!",
        now=NOW)  # fmt: skip
    assert member(session, trip.id, people.carol).status == CompanionStatus.requested
    for organizer in (people.bob, people.dave):
        (asked,) = notes(session, organizer, NotificationType.trip_join_request)
        assert asked.action_url == f"/trips/{trip.id}?tab=companions"
        assert "Carol Reis" in asked.title and "I'll be there!" in asked.message

    with pytest.raises(Conflict, match="already pending"):
        run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    with pytest.raises(PermissionDenied, match=ORGANIZERS_ONLY):  # carol cannot accept herself
        run(session, j.join_accept, people.carol, trip_id=trip.id, user_id=people.carol.id,
            now=NOW)  # fmt: skip

    run(session, j.join_accept, people.bob, trip_id=trip.id, user_id=people.carol.id, now=NOW)
    row = member(session, trip.id, people.carol)
    assert row.status == CompanionStatus.accepted and row.role == CompanionRole.participant
    (answer,) = notes(session, people.carol, NotificationType.trip_join_response)
    assert "joined" in answer.title.lower()
    with pytest.raises(Conflict, match="already a member"):
        run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    with pytest.raises(NotFound, match="no pending request"):
        run(session, j.join_accept, people.bob, trip_id=trip.id, user_id=people.carol.id,
            now=NOW)  # fmt: skip


def test_declined_requester_cannot_ask_again_but_may_be_invited(
    session: Session, people: People
) -> None:
    trip = lisbon(session, people)
    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    run(session, j.join_decline, people.bob, trip_id=trip.id, user_id=people.carol.id, now=NOW)
    assert member(session, trip.id, people.carol).status == CompanionStatus.declined
    (answer,) = notes(session, people.carol, NotificationType.trip_join_response)
    assert "declined" in answer.title
    with pytest.raises(Conflict, match="was declined"):
        run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    run(session, c.companion_invite, people.bob, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match="already invited"):
        run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    run(session, c.invite_accept, people.carol, trip_id=trip.id, now=NOW)
    assert member(session, trip.id, people.carol).status == CompanionStatus.accepted


def test_request_cancel(session: Session, people: People) -> None:
    trip = lisbon(session, people)
    with pytest.raises(NotFound, match="no pending request"):
        run(session, j.join_cancel, people.carol, trip_id=trip.id, now=NOW)
    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    run(session, j.join_cancel, people.carol, trip_id=trip.id, now=NOW)
    assert member(session, trip.id, people.carol) is None
    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)  # may ask again


def test_which_trips_take_requests(session: Session, people: People) -> None:
    # friends_only: only the owner's buddies (dave is alice's buddy, carol is not)
    alices = make_trip(session, people.alice)
    run(session, j.join_request, people.dave, trip_id=alices.id, now=NOW)
    with pytest.raises(NotFound):  # bob cannot see it at all
        run(session, j.join_request, people.bob, trip_id=alices.id, now=NOW)
    # an invited carol sees the trip, but is no buddy of alice's: invited, not requested
    connect(session, people.dave, people.carol)
    add_member(session, alices, people.carol, status=CompanionStatus.invited)
    with pytest.raises(Conflict, match="already invited"):
        run(session, j.join_request, people.carol, trip_id=alices.id, now=NOW)

    for status in (TripStatus.cancelled, TripStatus.completed):
        closed = lisbon(session, people)
        closed.status = status
        session.add(closed)
        with pytest.raises(Conflict, match="no longer join"):
            run(session, j.join_request, people.carol, trip_id=closed.id, now=NOW)

    with pytest.raises(Conflict, match="already a member"):  # the owner
        run(session, j.join_request, people.bob, trip_id=lisbon(session, people).id, now=NOW)

    removed_from = lisbon(session, people)
    add_member(session, removed_from, people.carol, status=CompanionStatus.removed)
    with pytest.raises(Conflict, match="were removed"):
        run(session, j.join_request, people.carol, trip_id=removed_from.id, now=NOW)

    blocked = lisbon(session, people)
    block(session, people.carol, people.bob)
    with pytest.raises(NotFound):  # a block hides the trip either way
        run(session, j.join_request, people.carol, trip_id=blocked.id, now=NOW)


def test_accepting_a_request_respects_the_cap(session: Session, people: People) -> None:
    from tests.support.factories import create_user

    trip = lisbon(session, people)
    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    for n in range(19):
        add_member(session, trip, create_user(session, username=f"t_j{n:02}"))
    with pytest.raises(Conflict, match="full"):
        run(session, j.join_accept, people.bob, trip_id=trip.id, user_id=people.carol.id,
            now=NOW)  # fmt: skip
    assert member(session, trip.id, people.carol).status == CompanionStatus.requested
