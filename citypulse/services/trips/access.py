"""Who may see and change a trip (PRODUCT.md §4.6.1, §4.6.4, §4.6.10): the one rule.

Everything in a trip (cities, itinerary, Places, companions, comments) follows the
trip's access, so every trips service starts here:

- `trip_visible_to(viewer_id)`: the SQL condition on `Trip` for lists and finders;
- `trip_for_viewer(...)`: one trip as a `TripAccess`, or `NotFound` (a 404, never a
  different error: a hidden trip and a missing one look the same);
- `require_member` / `require_editor` / `require_organizer` / `require_owner`: the
  same, for an active actor who must hold a role; visible but not allowed is
  `PermissionDenied`. They lock the trip row (`FOR NO KEY UPDATE`), so the writers of
  one trip run one after the other (positions stay contiguous, version checks hold).

The rule:

| visibility   | who sees it                                                           |
|--------------|-----------------------------------------------------------------------|
| public       | anyone (visitors read-only)                                           |
| friends_only | the owner, the owner's buddies, members (invited, requested, accepted) |
| private      | the owner only                                                        |

Others never see a trip whose owner is not an active user, or across a block either
way. A removed trip (moderation) is seen by its owner (banner) and by moderators only,
read-only. A valid share token gives a read-only view of a public or friends_only trip.
Roles come from the viewer's *accepted* companion row: owner / organizer / participant.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import Trip, TripCompanion, User
from citypulse.models.enums import (
    AccountStatus,
    CompanionRole,
    CompanionStatus,
    ModerationStatus,
    Visibility,
)
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.policies import is_moderator_now, require_active_actor
from citypulse.services.recommendations.forms import as_id
from citypulse.services.social.graph import blocked_between, buddies_with

TRIP_NOT_FOUND = "Trip not found"
NOT_ALLOWED = "You are not allowed to change this trip"
OWNER_ONLY = "Only the trip's owner can do that"
ORGANIZERS_ONLY = "Only the trip's owner and organizers can do that"
MEMBERS_ONLY = "Only the trip's members can do that"
REMOVED_READ_ONLY = "This trip was removed by a moderator and can no longer be changed"

# §5.2 "Trip changes: 100 per 15 min", counted per user for every change to any trip.
TRIP_CHANGES = rate_limits.Limit("trip-change", 100, timedelta(minutes=15))

# Memberships that let a user see a friends_only trip (§4.6.1).
SEEING_STATUSES = (CompanionStatus.invited, CompanionStatus.requested, CompanionStatus.accepted)
ORGANIZING_ROLES = (CompanionRole.owner, CompanionRole.organizer)


def share_token_hash(token: str) -> str:
    """SHA-256 hex digest of a share token: what `trips.share_token_hash` stores."""
    return hashlib.sha256(token.encode()).hexdigest()


# Aliases: the rule is also used inside queries that join users or companions themselves.
_Owner = aliased(User, name="trip_owner")
_Seeing = aliased(TripCompanion, name="seeing_member")


def _owner_active() -> ColumnElement[bool]:
    return exists(
        select(_Owner.id).where(
            _Owner.id == Trip.owner_id,
            _Owner.account_status == AccountStatus.active,
            _Owner.email_verified_at.is_not(None),
        )
    )


def _member(viewer_id: Any) -> ColumnElement[bool]:
    return exists(
        select(_Seeing.id).where(
            _Seeing.trip_id == Trip.id,
            _Seeing.user_id == viewer_id,
            _Seeing.status.in_(SEEING_STATUSES),
        )
    )


def trip_visible_to(viewer_id: Any) -> ColumnElement[bool]:
    """SQL condition on `Trip`: this viewer (None: a visitor) may see the trip.

    The owner sees their own trips, removed ones included; others see active trips of
    active owners with no block either way, by visibility (module docstring).
    """
    if viewer_id is None:
        return and_(
            Trip.visibility == Visibility.public,
            Trip.moderation_status == ModerationStatus.active,
            _owner_active(),
        )
    others = and_(
        Trip.owner_id != viewer_id,
        Trip.moderation_status == ModerationStatus.active,
        _owner_active(),
        ~blocked_between(viewer_id, Trip.owner_id),
        or_(
            Trip.visibility == Visibility.public,
            and_(
                Trip.visibility == Visibility.friends_only,
                or_(buddies_with(viewer_id, Trip.owner_id), _member(viewer_id)),
            ),
        ),
    )
    return or_(Trip.owner_id == viewer_id, others)


@dataclass(frozen=True)
class TripAccess:
    """A trip the viewer may see, and what they may do with it.

    `role` is the viewer's role as an *accepted* member (the owner's is `owner`);
    `member_status` is their companion row's status whatever it is (None: no row).
    """

    trip: Trip
    viewer_id: int | None
    role: CompanionRole | None
    member_status: CompanionStatus | None
    via_share: bool = False
    as_moderator: bool = False

    @property
    def is_owner(self) -> bool:
        return self.viewer_id is not None and self.trip.owner_id == self.viewer_id

    @property
    def is_member(self) -> bool:
        """An accepted member (the owner included)."""
        return self.role is not None and not self.via_share

    @property
    def is_organizer(self) -> bool:
        """The owner or an organizer: edit details and status, manage members (§4.6.4)."""
        return self.is_member and self.role in ORGANIZING_ROLES

    @property
    def is_removed(self) -> bool:
        return self.trip.moderation_status == ModerationStatus.removed

    @property
    def can_edit_plan(self) -> bool:
        """Add and edit cities, itinerary items and Places: organizers, and participants
        of a collaborative trip. Nobody changes a removed trip."""
        if self.is_removed or not self.is_member:
            return False
        return self.is_organizer or self.trip.is_collaborative

    @property
    def can_add_to_wishlist(self) -> bool:
        """Every accepted member may add a Place to the wishlist (§4.6.4)."""
        return self.is_member and not self.is_removed

    def can_remove_added(self, added_by_id: int | None) -> bool:
        """Delete an item, city link or Place added by `added_by_id`: organizers any,
        editors (collaborative participants) their own; Places also their adder (§4.6.8)."""
        if self.is_removed or not self.is_member:
            return False
        return self.is_organizer or (added_by_id is not None and added_by_id == self.viewer_id)


def role_of(session: Session, trip_id: int, user_id: int) -> CompanionRole | None:
    """The user's role as an accepted member of the trip, or None."""
    return session.execute(
        select(TripCompanion.role).where(
            TripCompanion.trip_id == trip_id,
            TripCompanion.user_id == user_id,
            TripCompanion.status == CompanionStatus.accepted,
        )
    ).scalar()


def can_edit_plan(access: TripAccess) -> bool:
    """Whether the viewer may add and edit cities, itinerary items and Places."""
    return access.can_edit_plan


def _select_trip(trip_id: int, *conditions: ColumnElement[bool], lock: bool):
    query = select(Trip).where(Trip.id == trip_id, *conditions)
    return query.with_for_update(key_share=True) if lock else query


def _membership(session: Session, trip_id: int, user_id: int) -> tuple[Any, Any]:
    row = session.execute(
        select(TripCompanion.role, TripCompanion.status).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == user_id
        )
    ).first()
    if row is None:
        return None, None
    role, status = CompanionRole(row.role), CompanionStatus(row.status)
    return (role if status == CompanionStatus.accepted else None), status


def _shared_trip(session: Session, viewer_id: int | None, trip_id: int, token: str) -> Trip | None:
    """The trip when `token` is its live share link (public/friends_only, active)."""
    return session.scalars(
        _select_trip(
            trip_id,
            Trip.share_token_hash == share_token_hash(token),
            Trip.visibility.in_((Visibility.public, Visibility.friends_only)),
            Trip.moderation_status == ModerationStatus.active,
            _owner_active(),
            ~blocked_between(viewer_id, Trip.owner_id),
            lock=False,
        )
    ).first()


def trip_for_viewer(
    session: Session,
    viewer: Viewer | None,
    trip_id: int,
    *,
    share_token: str | None = None,
    lock: bool = False,
) -> TripAccess:
    """The trip as this viewer (None: a visitor) may see it.

    `share_token` (from `?share=`) opens a read-only view when the viewer could not see
    the trip otherwise; moderators see removed trips read-only. `lock` locks the row.

    Raises:
        NotFound: the trip does not exist or is hidden from the viewer.
    """
    trip_id = as_id(trip_id)  # crafted events may send anything
    if trip_id is None:
        raise NotFound(TRIP_NOT_FOUND)
    viewer_id = viewer.user_id if viewer is not None else None
    trip = session.scalars(_select_trip(trip_id, trip_visible_to(viewer_id), lock=lock)).first()
    if trip is not None:
        if viewer_id is None:
            return TripAccess(trip, None, None, None)
        role, status = _membership(session, trip.id, viewer_id)
        return TripAccess(trip, viewer_id, role, status)
    if share_token:
        shared = _shared_trip(session, viewer_id, trip_id, share_token)
        if shared is not None:
            return TripAccess(shared, viewer_id, None, None, via_share=True)
    if is_moderator_now(session, viewer):
        removed = session.scalars(
            _select_trip(trip_id, Trip.moderation_status == ModerationStatus.removed, lock=lock)
        ).first()
        if removed is not None:
            return TripAccess(removed, viewer_id, None, None, as_moderator=True)
    raise NotFound(TRIP_NOT_FOUND)


def _writable(session: Session, actor: Viewer | None, trip_id: int) -> TripAccess:
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    if access.is_removed and access.is_owner:
        raise PermissionDenied(REMOVED_READ_ONLY)
    return access


def require_member(session: Session, actor: Viewer | None, trip_id: int) -> TripAccess:
    """The trip, locked, for an active accepted member (comment, add to the wishlist).

    Raises:
        PermissionDenied: not signed in / not active, removed trip, or not a member.
        NotFound: the trip is hidden from the actor.
    """
    access = _writable(session, actor, trip_id)
    if not access.is_member or access.is_removed:
        raise PermissionDenied(MEMBERS_ONLY)
    return access


def require_editor(session: Session, actor: Viewer | None, trip_id: int) -> TripAccess:
    """The trip, locked, for an actor who may edit its plan (`TripAccess.can_edit_plan`).

    Raises:
        PermissionDenied: not signed in / not active, removed trip, or not an editor.
        NotFound: the trip is hidden from the actor.
    """
    access = _writable(session, actor, trip_id)
    if not access.can_edit_plan:
        raise PermissionDenied(NOT_ALLOWED)
    return access


def require_organizer(session: Session, actor: Viewer | None, trip_id: int) -> TripAccess:
    """The trip, locked, for its owner or an organizer (details, status, members).

    Raises:
        PermissionDenied: not signed in / not active, removed trip, or not an organizer.
        NotFound: the trip is hidden from the actor.
    """
    access = _writable(session, actor, trip_id)
    if not access.is_organizer or access.is_removed:
        raise PermissionDenied(ORGANIZERS_ONLY)
    return access


def require_owner(
    session: Session, actor: Viewer | None, trip_id: int, *, allow_removed: bool = False
) -> TripAccess:
    """The trip, locked, for its owner (delete, visibility, share link, roles).

    `allow_removed` lets the owner act on a trip a moderator removed (delete it).

    Raises:
        PermissionDenied: not signed in / not active, removed trip, or not the owner.
        NotFound: the trip is hidden from the actor.
    """
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    if not access.is_owner or access.via_share:
        raise PermissionDenied(OWNER_ONLY)
    if access.is_removed and not allow_removed:
        raise PermissionDenied(REMOVED_READ_ONLY)
    return access


def count_trip_change(session: Session, actor: Viewer, now: datetime) -> None:
    """Count one trip change of the actor (§5.2); raises RateLimited past 100 per 15 min."""
    rate_limits.hit(session, TRIP_CHANGES, str(actor.user_id), now)
