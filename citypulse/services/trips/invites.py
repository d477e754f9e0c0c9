"""Trip invitations (PRODUCT.md §4.6.5): the owner or an organizer invites, the invitee
accepts or declines.

- **Invite**: not on a private trip ("A private trip has no companions") nor a cancelled
  one; friends_only: the invitee must be the inviter's buddy; public: any active user
  with no block either way with the inviter or the owner. A pending invite, a pending
  request or a member is refused; at most 20 invited or accepted. Sends trip_invite.
- **Accept** → member (participant), trip_invite_response to the inviter and the owner
  (emailed); **decline** → trip_invite_response, not emailed.

The shared membership helpers are in `membership.py`; `companions.py` re-exports these
commands with the member commands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from citypulse.models import TripCompanion, User
from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    NotificationType,
    TripStatus,
    Visibility,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied
from citypulse.services.policies import is_active_account, require_active_actor
from citypulse.services.social.buddies import optional_text
from citypulse.services.social.graph import are_buddies, blocked_either_way
from citypulse.services.trips.access import (
    TripAccess,
    count_trip_change,
    require_organizer,
    trip_for_viewer,
)
from citypulse.services.trips.membership import (
    MESSAGE_LENGTH,
    completed_membership_changed,
    membership,
    require_seat,
    save_membership,
    tell,
    trip_url,
)

USER_NOT_FOUND = "User not found"
PRIVATE_TRIP = "A private trip has no companions. Make it public or buddies-only first"
CANCELLED_TRIP = "This trip is cancelled"
NOT_A_BUDDY = "You can only invite your buddies to a buddies-only trip"
BLOCKED = "You cannot invite this user"
NOT_YOURSELF = "You are already on this trip"
ALREADY_INVITED = "{name} is already invited"
ALREADY_MEMBER = "{name} is already a member of this trip"
ALREADY_REQUESTED = "{name} asked to join: answer their request"
NO_INVITE = "You have no pending invitation to this trip"


@dataclass(frozen=True)
class _Person:
    id: int
    username: str
    full_name: str


def _person(session: Session, user_id: int) -> _Person | None:
    """An active user (None: missing or not active: the same "User not found")."""
    user = session.get(User, user_id)
    if user is None or not is_active_account(user) or user.id is None:
        return None
    return _Person(user.id, user.username, user.full_name)


def companion_invite(
    session: Session,
    *,
    actor: Viewer,
    trip_id: int,
    user_id: int,
    message: str = "",
    now: datetime,
) -> None:
    """Invite `user_id` to the trip with an optional message (≤300); sends trip_invite.

    Raises:
        PermissionDenied: not an organizer of the trip; a private trip; a friends_only
            trip and the invitee is not the inviter's buddy; a block either way.
        NotFound: the trip is hidden from the actor; the invitee is missing or inactive.
        Conflict: cancelled trip; already invited, requested or a member; the trip is full.
        ValidationFailed: `message` too long or with control characters (field "message").
    """
    access = require_organizer(session, actor, trip_id)
    trip = access.trip
    text = optional_text("message", "Message", message, MESSAGE_LENGTH)
    count_trip_change(session, actor, now)
    if trip.visibility == Visibility.private:
        raise PermissionDenied(PRIVATE_TRIP)
    if trip.status == TripStatus.cancelled:
        raise Conflict(CANCELLED_TRIP)
    if user_id == actor.user_id:
        raise Conflict(NOT_YOURSELF)
    invitee = _person(session, user_id)
    if invitee is None or blocked_either_way(session, user_id, actor.user_id):
        raise NotFound(USER_NOT_FOUND)
    if blocked_either_way(session, user_id, trip.owner_id):
        raise PermissionDenied(BLOCKED)
    if trip.visibility == Visibility.friends_only and not are_buddies(
        session, actor.user_id, user_id
    ):
        raise PermissionDenied(NOT_A_BUDDY)
    row = membership(session, trip.id, user_id)
    name = f"@{invitee.username}"
    if row is not None and row.status == CompanionStatus.invited:
        raise Conflict(ALREADY_INVITED.format(name=name))
    if row is not None and row.status == CompanionStatus.accepted:
        raise Conflict(ALREADY_MEMBER.format(name=name))
    if row is not None and row.status == CompanionStatus.requested:
        raise Conflict(ALREADY_REQUESTED.format(name=name))
    require_seat(session, trip.id)
    row = row or TripCompanion(trip_id=trip.id, user_id=user_id)
    row.role, row.status = CompanionRole.participant, CompanionStatus.invited
    row.invited_by_id, row.message, row.responded_at = actor.user_id, text, None
    save_membership(session, row, trip.id)
    note = f" “{text}”" if text else ""
    tell(session, NotificationType.trip_invite, actor=actor, trip=trip, recipient_ids=[user_id],
          title="{name} invited you to “{trip}”",
          message="{name} (@{username}) invited you to join the trip “{trip}”." + note,
          url=trip_url(trip.id), now=now)  # fmt: skip


def _own_invite(
    session: Session, actor: Viewer, trip_id: int, now: datetime
) -> tuple[TripAccess, TripCompanion]:
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    count_trip_change(session, actor, now)
    row = membership(session, access.trip.id, actor.user_id)
    if row is None or row.status != CompanionStatus.invited or access.is_removed:
        raise NotFound(NO_INVITE)
    return access, row


def invite_accept(session: Session, *, actor: Viewer, trip_id: int, now: datetime) -> None:
    """The invitee accepts: they become a participant; tells the inviter and the owner.

    Raises:
        PermissionDenied: not an active user.
        NotFound: the trip is hidden, or the actor has no pending invitation to it.
    """
    access, row = _own_invite(session, actor, trip_id, now)
    trip = access.trip
    row.status, row.responded_at = CompanionStatus.accepted, now
    save_membership(session, row, trip.id)
    completed_membership_changed(session, trip, actor.user_id, now)
    recipients = [r for r in (row.invited_by_id, trip.owner_id) if r is not None]
    tell(session, NotificationType.trip_invite_response, actor=actor, trip=trip,
          recipient_ids=recipients, title="{name} accepted your invitation to “{trip}”",
          message="{name} (@{username}) joined the trip “{trip}”.",
          url=trip_url(trip.id), now=now)  # fmt: skip


def invite_decline(session: Session, *, actor: Viewer, trip_id: int, now: datetime) -> None:
    """The invitee declines; tells the inviter and the owner (no email: §4.11).

    Raises:
        PermissionDenied: not an active user.
        NotFound: the trip is hidden, or the actor has no pending invitation to it.
    """
    access, row = _own_invite(session, actor, trip_id, now)
    trip = access.trip
    row.status, row.responded_at = CompanionStatus.declined, now
    save_membership(session, row, trip.id, access_lost=True)
    recipients = [r for r in (row.invited_by_id, trip.owner_id) if r is not None]
    tell(session, NotificationType.trip_invite_response, actor=actor, trip=trip,
          recipient_ids=recipients, title="{name} declined your invitation to “{trip}”",
          message="{name} (@{username}) declined the invitation to “{trip}”.",
          url=trip_url(trip.id), now=now, email=False)  # fmt: skip
