"""The one access rule for a trip (PRODUCT.md §4.6.1, §4.6.4, journey §7.23)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from citypulse.models import Trip, User
from citypulse.models.enums import (
    AccountStatus,
    CompanionRole,
    CompanionStatus,
    ModerationStatus,
    Visibility,
)
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.trips.access import (
    can_edit_plan,
    require_editor,
    require_member,
    require_organizer,
    require_owner,
    role_of,
    share_token_hash,
    trip_for_viewer,
    trip_visible_to,
)
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, block, make_trip


def sees(session: Session, user: User | None, trip: Trip, **kwargs: object) -> bool:
    try:
        trip_for_viewer(session, viewer_of(user) if user else None, trip.id, **kwargs)
    except NotFound:
        return False
    return True


def listed(session: Session, user: User | None, trip: Trip) -> bool:
    query = select(Trip.id).where(Trip.id == trip.id, trip_visible_to(user.id if user else None))
    return session.exec(query).first() is not None


def test_public_trip_is_seen_by_everyone_and_listed(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    for user in (None, people.alice, people.bob, people.dave):
        assert sees(session, user, trip)
        assert listed(session, user, trip)
    visitor = trip_for_viewer(session, None, trip.id)
    assert not visitor.is_member and not visitor.can_edit_plan


def test_friends_only_trip_owner_buddies_and_members(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.carol, status=CompanionStatus.invited)
    assert sees(session, people.alice, trip)
    assert sees(session, people.dave, trip)  # a buddy of the owner
    assert sees(session, people.carol, trip)  # invited
    assert not sees(session, people.bob, trip)
    assert not sees(session, None, trip)
    assert listed(session, people.carol, trip) and not listed(session, people.bob, trip)


@pytest.mark.parametrize(
    ("status", "visible"),
    [
        (CompanionStatus.requested, True),
        (CompanionStatus.accepted, True),
        (CompanionStatus.declined, False),
        (CompanionStatus.removed, False),
        (CompanionStatus.left, False),
    ],
)
def test_friends_only_membership_statuses(
    session: Session, people: People, status: str, visible: bool
) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.bob, status=status)
    assert sees(session, people.bob, trip) is visible


def test_private_trip_is_the_owners_only(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.private)
    assert sees(session, people.alice, trip)
    for user in (None, people.dave, people.bob, people.mod):
        assert not sees(session, user, trip)
        assert not listed(session, user, trip)


def test_private_trip_refuses_dave_through_every_requirement(
    session: Session, people: People
) -> None:
    """Journey §7.23: 404 whatever the buddy asks, never a different error."""
    trip = make_trip(session, people.alice, visibility=Visibility.private)
    dave = viewer_of(people.dave)
    for requirement in (require_member, require_editor, require_organizer, require_owner):
        with pytest.raises(NotFound):
            requirement(session, dave, trip.id)


def test_missing_trip_is_not_found(session: Session, people: People) -> None:
    with pytest.raises(NotFound):
        trip_for_viewer(session, viewer_of(people.alice), 2_000_000_000)


@pytest.mark.parametrize("direction", ["owner_blocks", "viewer_blocks"])
def test_blocks_hide_the_trip_either_way(session: Session, people: People, direction: str) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    if direction == "owner_blocks":
        block(session, people.alice, people.bob)
    else:
        block(session, people.bob, people.alice)
    assert not sees(session, people.bob, trip)
    assert not listed(session, people.bob, trip)
    assert sees(session, people.carol, trip)


def test_inactive_owner_hides_the_trip_from_others(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    people.alice.account_status = AccountStatus.suspended
    session.add(people.alice)
    session.flush()
    assert not sees(session, people.bob, trip)
    assert not sees(session, None, trip)


def test_removed_trip_owner_with_banner_and_moderators_read_only(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, CompanionRole.organizer)
    trip.moderation_status = ModerationStatus.removed
    session.add(trip)
    session.flush()
    own = trip_for_viewer(session, viewer_of(people.alice), trip.id)
    assert own.is_removed and own.is_owner and not own.can_edit_plan
    moderated = trip_for_viewer(session, viewer_of(people.mod), trip.id)
    assert moderated.as_moderator and not moderated.is_member
    for user in (None, people.bob, people.dave):
        assert not sees(session, user, trip)
    with pytest.raises(PermissionDenied):
        require_editor(session, viewer_of(people.alice), trip.id)
    with pytest.raises(PermissionDenied):
        require_owner(session, viewer_of(people.alice), trip.id)
    assert require_owner(session, viewer_of(people.alice), trip.id, allow_removed=True).is_owner
    with pytest.raises(PermissionDenied):
        require_editor(session, viewer_of(people.mod), trip.id)


def test_roles_and_the_collaborative_flag(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, CompanionRole.organizer)
    add_member(session, trip, people.bob, CompanionRole.participant)
    assert role_of(session, trip.id, people.alice.id) == CompanionRole.owner
    assert role_of(session, trip.id, people.dave.id) == CompanionRole.organizer
    assert role_of(session, trip.id, people.carol.id) is None

    alice, dave, bob, carol = (
        viewer_of(u) for u in (people.alice, people.dave, people.bob, people.carol)
    )
    assert require_owner(session, alice, trip.id).is_owner
    assert require_organizer(session, dave, trip.id).is_organizer
    assert can_edit_plan(require_editor(session, dave, trip.id))
    with pytest.raises(PermissionDenied):
        require_owner(session, dave, trip.id)
    with pytest.raises(PermissionDenied):
        require_organizer(session, bob, trip.id)
    with pytest.raises(PermissionDenied):
        require_editor(session, bob, trip.id)  # not collaborative
    assert require_member(session, bob, trip.id).can_add_to_wishlist
    with pytest.raises(PermissionDenied):
        require_member(session, carol, trip.id)  # sees the public trip, is no member

    trip.is_collaborative = True
    session.add(trip)
    session.flush()
    editor = require_editor(session, bob, trip.id)
    assert editor.can_remove_added(people.bob.id)
    assert not editor.can_remove_added(people.alice.id)
    assert require_organizer(session, dave, trip.id).can_remove_added(people.bob.id)
    with pytest.raises(PermissionDenied):
        require_editor(session, carol, trip.id)


def test_invited_member_sees_but_holds_no_role(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, collaborative=True)
    add_member(session, trip, people.carol, CompanionRole.organizer, CompanionStatus.invited)
    access = trip_for_viewer(session, viewer_of(people.carol), trip.id)
    assert access.member_status == CompanionStatus.invited and access.role is None
    with pytest.raises(PermissionDenied):
        require_editor(session, viewer_of(people.carol), trip.id)


def test_signed_out_and_restricted_actors_change_nothing(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    with pytest.raises(PermissionDenied):
        require_editor(session, None, trip.id)
    people.alice.account_status = AccountStatus.suspended
    session.add(people.alice)
    session.flush()
    with pytest.raises(PermissionDenied):
        require_owner(session, viewer_of(people.alice), trip.id)


def test_share_token_opens_a_read_only_view(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    trip.share_token_hash = share_token_hash("s3cret-token")
    session.add(trip)
    session.flush()
    shared = trip_for_viewer(session, None, trip.id, share_token="s3cret-token")
    assert shared.via_share and not shared.is_member and not shared.can_edit_plan
    assert sees(session, people.bob, trip, share_token="s3cret-token")
    assert not sees(session, people.bob, trip, share_token="wrong")
    block(session, people.alice, people.bob)
    assert not sees(session, people.bob, trip, share_token="s3cret-token")
    trip.visibility = Visibility.private
    session.add(trip)
    session.flush()
    assert not sees(session, None, trip, share_token="s3cret-token")


@pytest.mark.parametrize("raw", ["abc", "1.5", -3, 2**40, None, True, "٣"])
def test_odd_trip_ids_are_not_found(session: Session, people: People, raw: object) -> None:
    with pytest.raises(NotFound):
        trip_for_viewer(session, viewer_of(people.alice), raw)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        require_editor(session, viewer_of(people.alice), raw)  # type: ignore[arg-type]
