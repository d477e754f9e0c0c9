"""Trip companions: invites, answers, removal, leaving and roles (PRODUCT.md §4.6.5, §4.11).

Journeys §7.22 (dave accepts alice's invite, alice is told; bob is no buddy of hers) and
§7.23 (nothing on a private trip; bob cannot invite or remove on dave's trip).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from citypulse.models import Notification, TripCompanion, User
from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    NotificationType,
    TripStatus,
    Visibility,
)
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips import companions as c
from citypulse.services.trips import join_requests as j
from citypulse.services.trips.access import ORGANIZERS_ONLY, OWNER_ONLY
from citypulse.services.trips.events import TripChanged
from tests.integration.interactions.support import act
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW, outbox
from tests.integration.trips.support import People, add_member, block, connect, make_trip, run
from tests.support.factories import create_user


def member(session: Session, trip_id: int, user: User) -> TripCompanion | None:
    session.expire_all()
    return session.exec(
        select(TripCompanion).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == user.id
        )
    ).first()


def notes(session: Session, user: User, kind: NotificationType) -> list[Notification]:
    query = select(Notification).where(
        Notification.recipient_id == user.id, Notification.type == kind
    )
    return list(session.exec(query.order_by(col(Notification.id))).all())


def test_journey_7_22_dave_accepts_alice_is_told_bob_refused(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, collaborative=True)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        message="Come along!", now=NOW)  # fmt: skip
    row = member(session, trip.id, people.dave)
    assert row and row.status == CompanionStatus.invited and row.invited_by_id == people.alice.id
    (invite,) = notes(session, people.dave, NotificationType.trip_invite)
    assert "Alice Martins" in invite.title and trip.title in invite.title
    assert "Come along!" in invite.message and invite.action_url == f"/trips/{trip.id}"

    _, events = act(session, c.invite_accept, actor=viewer_of(people.dave), trip_id=trip.id,
                    now=NOW)  # fmt: skip
    row = member(session, trip.id, people.dave)
    assert row and row.status == CompanionStatus.accepted and row.role == CompanionRole.participant
    assert row.responded_at == NOW
    (told,) = notes(session, people.alice, NotificationType.trip_invite_response)
    assert "Dave Costa accepted" in told.title
    assert any(m.to_address == people.alice.email for m in outbox(session))  # acceptances mailed
    assert [e.trip_id for e in events if isinstance(e, TripChanged)] == [trip.id]

    with pytest.raises(PermissionDenied, match="only invite your buddies"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.bob.id,
            now=NOW)  # fmt: skip
    assert member(session, trip.id, people.bob) is None


def test_journey_7_23_private_trip_and_bob_on_daves_trip(session: Session, people: People) -> None:
    private = make_trip(session, people.alice, visibility=Visibility.private)
    with pytest.raises(PermissionDenied, match="private trip has no companions"):
        run(session, c.companion_invite, people.alice, trip_id=private.id,
            user_id=people.dave.id, now=NOW)  # fmt: skip
    with pytest.raises(NotFound):  # dave cannot even see it
        run(session, j.join_request, people.dave, trip_id=private.id, now=NOW)

    daves = make_trip(session, people.dave, visibility=Visibility.public)
    add_member(session, daves, people.alice)
    with pytest.raises(PermissionDenied, match=ORGANIZERS_ONLY):
        run(session, c.companion_invite, people.bob, trip_id=daves.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied, match=ORGANIZERS_ONLY):
        run(session, c.companion_remove, people.bob, trip_id=daves.id,
            user_id=people.alice.id, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied, match=OWNER_ONLY):
        run(session, c.companion_set_role, people.bob, trip_id=daves.id,
            user_id=people.alice.id, role="organizer", now=NOW)  # fmt: skip
    assert member(session, daves.id, people.alice).status == CompanionStatus.accepted
    assert member(session, daves.id, people.carol) is None


def test_invite_refusals(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    with pytest.raises(PermissionDenied, match="Sign in"):  # a visitor's crafted call
        run(session, c.companion_invite, None, trip_id=trip.id, user_id=people.dave.id, now=NOW)
    with pytest.raises(Conflict, match="already on this trip"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.alice.id, now=NOW)  # fmt: skip
    with pytest.raises(NotFound, match="User not found"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=999_999, now=NOW)
    with pytest.raises(ValidationFailed) as refused:
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.bob.id, message="x" * 301, now=NOW)  # fmt: skip
    assert "message" in refused.value.field_errors

    # public: any active user without a block; a block either way is a missing user
    block(session, people.bob, people.alice)
    with pytest.raises(NotFound, match="User not found"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.bob.id, now=NOW)  # fmt: skip
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match="already invited"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip
    run(session, c.invite_accept, people.carol, trip_id=trip.id, now=NOW)
    with pytest.raises(Conflict, match="already a member"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip

    # an organizer's invitee blocked by the owner is refused too
    run(session, c.companion_set_role, people.alice, trip_id=trip.id,
        user_id=people.carol.id, role="organizer", now=NOW)  # fmt: skip
    stranger = create_user(session, username="t_erin", full_name="Erin Lopes")
    block(session, people.alice, stranger)
    with pytest.raises(PermissionDenied, match="cannot invite this user"):
        run(session, c.companion_invite, people.carol, trip_id=trip.id,
            user_id=stranger.id, now=NOW)  # fmt: skip

    cancelled = make_trip(session, people.alice, visibility=Visibility.public)
    cancelled.status = TripStatus.cancelled
    session.add(cancelled)
    with pytest.raises(Conflict, match="cancelled"):
        run(session, c.companion_invite, people.alice, trip_id=cancelled.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip


def test_friends_only_invitees_are_the_inviters_buddies(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    connect(session, people.dave, people.carol)
    # carol is dave's buddy, not alice's: the organizer dave may invite her, alice not
    with pytest.raises(PermissionDenied, match="only invite your buddies"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip
    run(session, c.companion_invite, people.dave, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    run(session, c.invite_decline, people.carol, trip_id=trip.id, now=NOW)
    assert member(session, trip.id, people.carol).status == CompanionStatus.declined
    # the decline reaches the inviter and the owner, without email
    assert len(notes(session, people.dave, NotificationType.trip_invite_response)) == 1
    assert len(notes(session, people.alice, NotificationType.trip_invite_response)) == 1
    assert not [m for m in outbox(session) if m.to_address == people.alice.email]
    # declined users may be invited again (the same row)
    run(session, c.companion_invite, people.dave, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    assert member(session, trip.id, people.carol).status == CompanionStatus.invited


def test_only_the_invitee_answers(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    with pytest.raises(NotFound, match="no pending invitation"):
        run(session, c.invite_accept, people.bob, trip_id=trip.id, now=NOW)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    with pytest.raises(NotFound, match="no pending invitation"):
        run(session, c.invite_decline, people.carol, trip_id=trip.id, now=NOW)
    run(session, c.invite_accept, people.dave, trip_id=trip.id, now=NOW)
    with pytest.raises(NotFound, match="no pending invitation"):
        run(session, c.invite_accept, people.dave, trip_id=trip.id, now=NOW)


def test_twenty_members_at_most(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    for n in range(18):  # the owner + 18 accepted + 1 invited = 20
        add_member(session, trip, create_user(session, username=f"t_m{n:02}"))
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match=r"full \(20 members\)"):
        run(session, c.companion_invite, people.alice, trip_id=trip.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match="full"):
        run(session, j.join_request, people.bob, trip_id=trip.id, now=NOW)
    assert c.is_full(session, trip.id)
    run(session, c.invite_decline, people.dave, trip_id=trip.id, now=NOW)
    assert not c.is_full(session, trip.id)


def test_remove_leave_and_roles(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    add_member(session, trip, people.bob)
    add_member(session, trip, people.carol)

    # an organizer removes participants, not organizers nor the owner
    with pytest.raises(PermissionDenied, match="owner cannot"):
        run(session, c.companion_remove, people.dave, trip_id=trip.id,
            user_id=people.alice.id, now=NOW)  # fmt: skip
    _, events = act(session, c.companion_remove, actor=viewer_of(people.dave), trip_id=trip.id,
                    user_id=people.bob.id, now=NOW)  # fmt: skip
    assert member(session, trip.id, people.bob).status == CompanionStatus.removed
    (removed,) = notes(session, people.bob, NotificationType.trip_removed)
    assert removed.action_url == "/trips" and "Dave Costa" in removed.message
    (changed,) = [e for e in events if isinstance(e, TripChanged)]
    assert set(changed.parts) == {"companions", "details"}  # bob's open page re-reads: 404
    with pytest.raises(NotFound, match="not a member"):
        run(session, c.companion_remove, people.dave, trip_id=trip.id,
            user_id=people.bob.id, now=NOW)  # fmt: skip

    # roles: the owner only, accepted non-owners only, a known role only
    run(session, c.companion_set_role, people.alice, trip_id=trip.id, user_id=people.carol.id,
        role="organizer", now=NOW)  # fmt: skip
    assert member(session, trip.id, people.carol).role == CompanionRole.organizer
    with pytest.raises(PermissionDenied, match="Only the owner can remove an organizer"):
        run(session, c.companion_remove, people.dave, trip_id=trip.id,
            user_id=people.carol.id, now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied, match=OWNER_ONLY):
        run(session, c.companion_set_role, people.dave, trip_id=trip.id,
            user_id=people.carol.id, role="participant", now=NOW)  # fmt: skip
    with pytest.raises(ValidationFailed):
        run(session, c.companion_set_role, people.alice, trip_id=trip.id,
            user_id=people.carol.id, role="owner", now=NOW)  # fmt: skip
    with pytest.raises(Conflict):
        run(session, c.companion_set_role, people.alice, trip_id=trip.id,
            user_id=people.bob.id, role="organizer", now=NOW)  # fmt: skip
    run(session, c.companion_remove, people.alice, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    assert member(session, trip.id, people.carol).status == CompanionStatus.removed

    # leaving: members, not the owner; no notification
    with pytest.raises(PermissionDenied, match="owner cannot"):
        run(session, c.companion_leave, people.alice, trip_id=trip.id, now=NOW)
    run(session, c.companion_leave, people.dave, trip_id=trip.id, now=NOW)
    assert member(session, trip.id, people.dave).status == CompanionStatus.left
    with pytest.raises(NotFound, match="not a member"):
        run(session, c.companion_leave, people.dave, trip_id=trip.id, now=NOW)
    # removed and left users may be re-invited
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.bob.id,
        now=NOW)  # fmt: skip


def test_withdrawing_an_invite_sends_nothing(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    run(session, c.companion_remove, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    assert member(session, trip.id, people.dave).status == CompanionStatus.removed
    assert notes(session, people.dave, NotificationType.trip_removed) == []
