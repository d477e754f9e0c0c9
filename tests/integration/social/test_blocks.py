"""block_user / unblock_user (§4.5.6): what a block ends, and what unblocking restores."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.models import Block, Trip, TripCompanion, User
from citypulse.models.enums import BuddyStatus, CompanionRole, CompanionStatus
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.social.blocks import NOT_YOURSELF, block_user, unblock_user
from citypulse.services.social.buddies import (
    CoolingDown,
    buddy_decline,
    buddy_request,
)
from citypulse.services.social.graph import are_buddies, blocked_either_way
from tests.integration.social.support import (
    NOW,
    World,
    changed,
    connection,
    notes,
    pending,
    run,
)


def blocks_of(session: Session, blocker: User) -> list[tuple[int, str | None]]:
    session.expire_all()
    rows = session.exec(select(Block).where(Block.blocker_id == blocker.id)).all()
    return [(row.blocked_id, row.reason) for row in rows]


def test_block_ends_the_buddy_connection(session: Session, world: World) -> None:
    added, events = run(session, block_user, world.alice, user_id=world.dave.id, reason=" rude ")
    assert added is True
    assert blocks_of(session, world.alice) == [(world.dave.id, "rude")]
    assert connection(session, world.alice, world.dave) is None
    assert blocked_either_way(session, world.dave.id, world.alice.id)
    assert changed(events) == [{world.alice.id, world.dave.id}]
    assert notes(session, world.dave) == []  # nobody is told


@pytest.mark.parametrize("direction", ["to_blocker", "from_blocker"])
def test_block_deletes_pending_requests_either_way(
    session: Session, world: World, direction: str
) -> None:
    if direction == "to_blocker":
        pending(session, world.bob, world.carol)
    else:
        pending(session, world.carol, world.bob)
    run(session, block_user, world.carol, user_id=world.bob.id)
    assert connection(session, world.bob, world.carol) is None


def test_a_declined_request_keeps_its_cool_down_through_block_and_unblock(
    session: Session, world: World
) -> None:
    run(session, buddy_request, world.carol, user_id=world.bob.id)
    run(session, buddy_decline, world.bob, user_id=world.carol.id)
    run(session, block_user, world.bob, user_id=world.carol.id)
    run(session, unblock_user, world.bob, user_id=world.carol.id)
    assert connection(session, world.bob, world.carol).status == BuddyStatus.declined
    with pytest.raises(CoolingDown):
        run(session, buddy_request, world.carol, user_id=world.bob.id, now=NOW + timedelta(days=1))


def test_blocking_twice_changes_nothing(session: Session, world: World) -> None:
    run(session, block_user, world.alice, user_id=world.bob.id)
    added, events = run(session, block_user, world.alice, user_id=world.bob.id)
    assert (added, events) == (False, [])
    assert blocks_of(session, world.alice) == [(world.bob.id, None)]


def test_both_may_block_each_other(session: Session, world: World) -> None:
    run(session, block_user, world.alice, user_id=world.bob.id)
    run(session, block_user, world.bob, user_id=world.alice.id)
    assert blocks_of(session, world.bob) == [(world.alice.id, None)]
    run(session, unblock_user, world.alice, user_id=world.bob.id)
    assert blocked_either_way(session, world.alice.id, world.bob.id)  # bob's block stays


def test_not_yourself_nor_an_unknown_user(session: Session, world: World) -> None:
    with pytest.raises(PermissionDenied, match=NOT_YOURSELF):
        run(session, block_user, world.alice, user_id=world.alice.id)
    with pytest.raises(NotFound):
        run(session, block_user, world.alice, user_id=10**9)
    assert blocks_of(session, world.alice) == []


def test_a_reason_over_100_characters_is_a_field_error(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        run(session, block_user, world.alice, user_id=world.bob.id, reason="x" * 101)
    assert refused.value.field_errors == {"reason": "Reason must be at most 100 characters"}
    assert blocks_of(session, world.alice) == []


def test_a_restricted_user_cannot_block(session: Session, world: World) -> None:
    world.alice.account_status = "suspended"
    session.add(world.alice)
    with pytest.raises(PermissionDenied):
        run(session, block_user, world.alice, user_id=world.bob.id)


def test_unblock_restores_visibility_but_not_the_connection(session: Session, world: World) -> None:
    run(session, block_user, world.alice, user_id=world.dave.id)
    removed, events = run(session, unblock_user, world.alice, user_id=world.dave.id)
    assert removed is True
    assert changed(events) == [{world.alice.id, world.dave.id}]
    assert not blocked_either_way(session, world.alice.id, world.dave.id)
    assert not are_buddies(session, world.alice.id, world.dave.id)
    run(session, buddy_request, world.dave, user_id=world.alice.id)  # may ask again at once


def test_unblocking_someone_not_blocked_changes_nothing(session: Session, world: World) -> None:
    assert run(session, unblock_user, world.alice, user_id=world.bob.id) == (False, [])


def test_only_the_blocker_can_unblock(session: Session, world: World) -> None:
    run(session, block_user, world.alice, user_id=world.bob.id)
    assert run(session, unblock_user, world.bob, user_id=world.alice.id)[0] is False
    assert run(session, unblock_user, world.carol, user_id=world.bob.id)[0] is False
    assert blocks_of(session, world.alice) == [(world.bob.id, None)]


def _trip(session: Session, owner: User, title: str) -> Trip:
    trip = Trip(owner_id=owner.id, title=title)
    session.add(trip)
    session.flush()
    member(session, trip, owner, CompanionStatus.accepted, role=CompanionRole.owner)
    return trip


def member(
    session: Session,
    trip: Trip,
    user: User,
    status: CompanionStatus,
    *,
    role: CompanionRole = CompanionRole.participant,
    invited_by: User | None = None,
) -> None:
    session.add(TripCompanion(trip_id=trip.id, user_id=user.id, role=role, status=status,
                              invited_by_id=invited_by.id if invited_by else None))  # fmt: skip
    session.flush()


def memberships(session: Session) -> set[tuple[str, str, str]]:
    session.expire_all()
    rows = session.exec(
        select(Trip.title, User.username, TripCompanion.status)
        .join(Trip, col(Trip.id) == TripCompanion.trip_id)
        .join(User, col(User.id) == TripCompanion.user_id)
        .where(TripCompanion.role != CompanionRole.owner)
    ).all()
    return {(title, username, status) for title, username, status in rows}


def test_block_cancels_trip_invites_and_join_requests_between_the_two(
    session: Session, world: World
) -> None:
    alices = _trip(session, world.alice, "Alice's trip")
    bobs = _trip(session, world.bob, "Bob's trip")
    carols = _trip(session, world.carol, "Carol's trip")
    member(session, alices, world.bob, CompanionStatus.invited, invited_by=world.alice)
    member(session, bobs, world.alice, CompanionStatus.requested)  # alice asked to join
    member(session, carols, world.dave, CompanionStatus.accepted, role=CompanionRole.organizer)
    member(session, carols, world.alice, CompanionStatus.invited, invited_by=world.carol)
    member(session, carols, world.bob, CompanionStatus.requested)  # dave organizes: his to answer
    member(session, alices, world.carol, CompanionStatus.invited, invited_by=world.alice)
    member(session, bobs, world.dave, CompanionStatus.accepted)

    run(session, block_user, world.bob, user_id=world.alice.id)
    run(session, block_user, world.bob, user_id=world.dave.id)

    assert memberships(session) == {
        ("Carol's trip", "s_dave", "accepted"),  # members stay members
        ("Carol's trip", "s_alice", "invited"),  # carol's invite: not between the two
        ("Alice's trip", "s_carol", "invited"),
        ("Bob's trip", "s_dave", "accepted"),
    }
