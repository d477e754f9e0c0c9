"""The Companions tab's read model and the invite candidates (§2.2 /trips/[id], §4.6.5)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models.enums import CompanionRole, CompanionStatus, Visibility
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.trips import companions as c
from citypulse.services.trips import join_requests as j
from citypulse.services.trips.access import share_token_hash
from citypulse.services.trips.companions_page import (
    companion_invite_by_username,
    companions_tab,
    invite_candidates,
)
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW
from tests.integration.trips.support import People, add_member, block, connect, make_trip, run
from tests.integration.trips.test_companions import member


def tab(session: Session, user, trip_id: int):
    return companions_tab(session, viewer=viewer_of(user) if user else None, trip_id=trip_id)


def test_owner_sees_members_invites_and_requests(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.carol.id,
        message="Join us", now=NOW)  # fmt: skip
    run(session, j.join_request, people.bob, trip_id=trip.id, message="Me too?", now=NOW)

    owner = tab(session, people.alice, trip.id)
    assert [(r.username, r.role, r.status) for r in owner.rows] == [
        ("t_alice", "owner", "accepted"),
        ("t_dave", "organizer", "accepted"),
        ("t_carol", "participant", "invited"),
        ("t_bob", "participant", "requested"),
    ]
    alice, dave, carol, bob = owner.rows
    assert not alice.can_remove and not alice.can_change_role
    assert dave.can_remove and dave.can_change_role
    assert carol.can_remove and carol.message == "Join us" and not carol.can_change_role
    assert bob.can_answer and bob.message == "Me too?"
    assert (owner.members, owner.seats_taken, owner.max_members) == (2, 3, 20)
    assert owner.can_invite and "any traveller" in owner.invite_note
    assert not owner.can_leave and not owner.can_request

    organizer = tab(session, people.dave, trip.id)
    assert [r.can_remove for r in organizer.rows] == [False, False, True, False]
    assert organizer.rows[3].can_answer
    assert not any(r.can_change_role for r in organizer.rows) and organizer.can_leave

    # a reader sees members and invitations, not someone else's request
    carol_view = tab(session, people.carol, trip.id)
    assert [r.username for r in carol_view.rows] == ["t_alice", "t_dave", "t_carol"]
    assert carol_view.my_status == "invited" and not carol_view.can_invite
    assert not any(r.can_remove or r.can_answer for r in carol_view.rows)
    bob_view = tab(session, people.bob, trip.id)
    assert "t_bob" in [r.username for r in bob_view.rows]  # his own request
    assert bob_view.request_refusal == j.JOIN_PENDING and not bob_view.can_request

    stranger = tab(session, None, trip.id)  # a visitor on a public trip
    assert not stranger.can_request and stranger.request_refusal == ""


def test_blocked_people_are_left_out_and_private_trips_hidden(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.carol)
    block(session, people.carol, people.bob)
    assert "t_carol" not in [r.username for r in tab(session, people.bob, trip.id).rows]
    assert tab(session, people.bob, trip.id).can_request

    private = make_trip(session, people.alice, visibility=Visibility.private)
    with pytest.raises(NotFound):
        tab(session, people.dave, private.id)
    assert not tab(session, people.alice, private.id).can_invite
    shared = make_trip(session, people.alice)
    shared.share_token_hash = share_token_hash("tok")
    session.add(shared)
    session.flush()
    with pytest.raises(NotFound):  # no member names through a share link
        companions_tab(session, viewer=None, trip_id=shared.id)


def test_invite_candidates(session: Session, people: People) -> None:
    friends = make_trip(session, people.alice)
    connect(session, people.alice, people.carol)
    names = [p.username for p in invite_candidates(
        session, viewer=viewer_of(people.alice), trip_id=friends.id)]  # fmt: skip
    assert names == ["t_carol", "t_dave"]  # buddies only, bob is no buddy
    add_member(session, friends, people.dave, status=CompanionStatus.invited)
    assert [p.username for p in invite_candidates(
        session, viewer=viewer_of(people.alice), trip_id=friends.id, text="DA")] == []  # fmt: skip
    assert invite_candidates(session, viewer=viewer_of(people.dave), trip_id=friends.id) == ()

    public = make_trip(session, people.alice, visibility=Visibility.public)
    viewer = viewer_of(people.alice)
    assert invite_candidates(session, viewer=viewer, trip_id=public.id, text="t") == ()
    assert [p.username for p in invite_candidates(
        session, viewer=viewer, trip_id=public.id, text="t_b")] == ["t_bob"]  # fmt: skip
    block(session, people.bob, people.alice)
    assert invite_candidates(session, viewer=viewer, trip_id=public.id, text="t_b") == ()


def test_invite_by_username(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    name = run(session, companion_invite_by_username, people.alice, trip_id=trip.id,
               username="@T_Dave", now=NOW)  # fmt: skip
    assert name == "t_dave" and member(session, trip.id, people.dave).status == "invited"
    with pytest.raises(PermissionDenied, match="only invite your buddies"):  # §7.22
        run(session, companion_invite_by_username, people.alice, trip_id=trip.id,
            username="t_bob", now=NOW)  # fmt: skip
    with pytest.raises(NotFound, match="User not found"):
        run(session, companion_invite_by_username, people.alice, trip_id=trip.id,
            username="nobody_here", now=NOW)  # fmt: skip
    for odd in ("t_da\x00ve", "x" * 31):  # a NUL or an overlong name is nobody's, no DB error
        with pytest.raises(NotFound, match="User not found"):
            run(session, companion_invite_by_username, people.alice, trip_id=trip.id,
                username=odd, now=NOW)  # fmt: skip
    with pytest.raises(NotFound):  # bob cannot see alice's trip: the trip check comes first
        run(session, companion_invite_by_username, people.bob, trip_id=trip.id,
            username="nobody_here", now=NOW)  # fmt: skip
