"""Trip companions: membership and roles (PRODUCT.md §4.6.5). The commands live in
`invites.py` (invite, accept, decline) and here (remove, leave, roles), re-exported here
as one module; `membership.py` holds what every membership command shares, and
`join_requests.py` the join requests.

One `trip_companions` row per (trip, user), reused when someone is invited again after
declining, being removed or leaving. Every command starts from `trips.access` with the
trip row locked (`FOR NO KEY UPDATE`), so two invites or answers racing for the last
place are decided one after the other and the 20-member cap holds.

- **Invite** (owner, organizers): not on a private trip ("A private trip has no
  companions") nor a cancelled one; friends_only: the invitee must be the inviter's
  buddy; public: any active user with no block either way with the inviter or the owner.
  A pending invite, a pending request or a member is refused.
- **Answer an invite** (the invitee): accept → member (participant), trip_invite_response
  to the inviter and the owner (emailed); decline → trip_invite_response, not emailed.
- **Remove** (owner: anyone but themself; organizer: participants): an accepted member
  gets trip_removed; a pending invite is simply withdrawn. **Leave**: a member (not the
  owner) leaves (status left). **Roles** (owner only): organizer ↔ participant.
- **Cap**: at most 20 invited or accepted (the owner included).

Membership of a completed trip counts for trips_completed and cities_visited (§4.7.1),
so joining, leaving or being removed from one evaluates that member's badges in the
same transaction (`TRIP_COMPLETED`). Every command counts as a trip change (§5.2: 100 per
15 minutes, `access.count_trip_change`) and publishes `TripChanged` after commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from citypulse.models.enums import CompanionRole, CompanionStatus, NotificationType
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.trips.access import (
    count_trip_change,
    require_organizer,
    require_owner,
    trip_for_viewer,
)
from citypulse.services.trips.invites import companion_invite, invite_accept, invite_decline
from citypulse.services.trips.membership import (
    FULL,
    MAX_MEMBERS,
    MESSAGE_LENGTH,
    completed_membership_changed,
    is_full,
    membership,
    save_membership,
    tell,
)

# The invitation commands and the cap are re-exported: callers use this one module.
__all__ = [
    "FULL",
    "MAX_MEMBERS",
    "MESSAGE_LENGTH",
    "companion_invite",
    "companion_leave",
    "companion_remove",
    "companion_set_role",
    "invite_accept",
    "invite_decline",
    "is_full",
]

NOT_REMOVABLE = "This user is not a member of the trip"
OWNER_STAYS = "The owner cannot leave or be removed from their trip"
ORGANIZER_REMOVAL = "Only the owner can remove an organizer"
NOT_LEAVING = "You are not a member of this trip"
UNKNOWN_ROLE = "Choose organizer or participant"
ROLE_TARGET = "Only accepted members other than the owner have a role to change"


# --- members ---------------------------------------------------------------------------


def companion_remove(
    session: Session, *, actor: Viewer, trip_id: int, user_id: int, now: datetime
) -> None:
    """Remove a member (sends trip_removed) or withdraw a pending invite.

    The owner removes anyone but themself; an organizer removes participants.

    Raises:
        PermissionDenied: not an organizer; the target is the owner; an organizer
            removing an organizer.
        NotFound: the trip is hidden; `user_id` is neither a member nor invited.
    """
    access = require_organizer(session, actor, trip_id)
    count_trip_change(session, actor, now)
    trip = access.trip
    row = membership(session, trip.id, user_id)
    if row is None or row.status not in (CompanionStatus.accepted, CompanionStatus.invited):
        raise NotFound(NOT_REMOVABLE)
    if row.role == CompanionRole.owner:
        raise PermissionDenied(OWNER_STAYS)
    if row.role == CompanionRole.organizer and not access.is_owner:
        raise PermissionDenied(ORGANIZER_REMOVAL)
    was_member = row.status == CompanionStatus.accepted
    row.status, row.role, row.responded_at = CompanionStatus.removed, CompanionRole.participant, now
    save_membership(session, row, trip.id, access_lost=True)
    if not was_member:
        return
    completed_membership_changed(session, trip, user_id, now)
    tell(session, NotificationType.trip_removed, actor=actor, trip=trip,
          recipient_ids=[user_id], title="You were removed from “{trip}”",
          message="{name} (@{username}) removed you from the trip “{trip}”.",
          url="/trips", now=now)  # fmt: skip


def companion_leave(session: Session, *, actor: Viewer, trip_id: int, now: datetime) -> None:
    """An accepted member (not the owner) leaves the trip; nobody is notified.

    Raises:
        PermissionDenied: not an active user; the owner.
        NotFound: the trip is hidden; the actor is not a member.
    """
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    count_trip_change(session, actor, now)
    trip = access.trip
    row = membership(session, trip.id, actor.user_id)
    if row is None or row.status != CompanionStatus.accepted:
        raise NotFound(NOT_LEAVING)
    if row.role == CompanionRole.owner:
        raise PermissionDenied(OWNER_STAYS)
    row.status, row.role, row.responded_at = CompanionStatus.left, CompanionRole.participant, now
    save_membership(session, row, trip.id, access_lost=True)
    completed_membership_changed(session, trip, actor.user_id, now)


def companion_set_role(
    session: Session, *, actor: Viewer, trip_id: int, user_id: int, role: str, now: datetime
) -> None:
    """The owner makes an accepted member an organizer or a participant.

    Raises:
        PermissionDenied: not the owner.
        NotFound: the trip is hidden.
        ValidationFailed: `role` is neither organizer nor participant (field "role").
        Conflict: the target is not an accepted member other than the owner.
    """
    trip = require_owner(session, actor, trip_id).trip
    count_trip_change(session, actor, now)
    if role not in (CompanionRole.organizer, CompanionRole.participant):
        raise ValidationFailed({"role": UNKNOWN_ROLE})
    row = membership(session, trip.id, user_id)
    if row is None or row.status != CompanionStatus.accepted or row.role == CompanionRole.owner:
        raise Conflict(ROLE_TARGET)
    if row.role == role:
        return
    row.role = CompanionRole(role)
    save_membership(session, row, trip.id)
