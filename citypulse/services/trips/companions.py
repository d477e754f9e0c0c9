"""Trip companions: invitations, membership, roles (PRODUCT.md §4.6.5), and the helpers
every membership command shares (join requests: `join_requests.py`).

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

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from citypulse.models import Trip, TripCompanion, User
from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    NotificationType,
    TripStatus,
    Visibility,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import TRIP_COMPLETED
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.notifications.create import notify
from citypulse.services.policies import is_active_account, require_active_actor
from citypulse.services.social.buddies import optional_text
from citypulse.services.social.graph import are_buddies, blocked_either_way
from citypulse.services.trips.access import (
    TripAccess,
    count_trip_change,
    require_organizer,
    require_owner,
    trip_for_viewer,
)
from citypulse.services.trips.events import COMPANIONS, DETAILS, trip_changed

MAX_MEMBERS = 20  # invited or accepted, the owner included (§3.2 TripCompanion)
MESSAGE_LENGTH = 300

USER_NOT_FOUND = "User not found"
PRIVATE_TRIP = "A private trip has no companions. Make it public or buddies-only first"
CANCELLED_TRIP = "This trip is cancelled"
FULL = f"This trip is full ({MAX_MEMBERS} members)"
NOT_A_BUDDY = "You can only invite your buddies to a buddies-only trip"
BLOCKED = "You cannot invite this user"
NOT_YOURSELF = "You are already on this trip"
ALREADY_INVITED = "{name} is already invited"
ALREADY_MEMBER = "{name} is already a member of this trip"
ALREADY_REQUESTED = "{name} asked to join: answer their request"
NO_INVITE = "You have no pending invitation to this trip"
NOT_REMOVABLE = "This user is not a member of the trip"
OWNER_STAYS = "The owner cannot leave or be removed from their trip"
ORGANIZER_REMOVAL = "Only the owner can remove an organizer"
NOT_LEAVING = "You are not a member of this trip"
UNKNOWN_ROLE = "Choose organizer or participant"
ROLE_TARGET = "Only accepted members other than the owner have a role to change"


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


def membership(session: Session, trip_id: int, user_id: int) -> TripCompanion | None:
    return session.execute(
        select(TripCompanion).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == user_id
        )
    ).scalar_one_or_none()


def _seats_taken(session: Session, trip_id: int) -> int:
    """Invited or accepted rows of the trip (the owner's included)."""
    return int(
        session.execute(
            select(func.count(TripCompanion.id)).where(
                TripCompanion.trip_id == trip_id,
                TripCompanion.status.in_((CompanionStatus.invited, CompanionStatus.accepted)),
            )
        ).scalar_one()
    )


def is_full(session: Session, trip_id: int) -> bool:
    """True when the trip has its 20 invited or accepted members."""
    return _seats_taken(session, trip_id) >= MAX_MEMBERS


def require_seat(session: Session, trip_id: int) -> None:
    if is_full(session, trip_id):
        raise Conflict(FULL)


def trip_url(trip_id: int, tab: str | None = None) -> str:
    return f"/trips/{trip_id}" + (f"?tab={tab}" if tab else "")


def tell(
    session: Session,
    kind: NotificationType,
    *,
    actor: Viewer,
    trip: Trip,
    recipient_ids: list[int],
    title: str,
    message: str,
    url: str,
    now: datetime,
    email: bool = True,
) -> None:
    """One notification per recipient (each once; `notify` skips the actor and blocks)."""
    title = title.format(name=actor.full_name, trip=trip.title)
    message = message.format(name=actor.full_name, username=actor.username, trip=trip.title)
    for recipient_id in dict.fromkeys(recipient_ids):
        notify(session, recipient_id=recipient_id, type=kind, actor=actor, title=title,
               message=message, target_type="trip", target_id=trip.id, action_url=url,
               now=now, email=email)  # fmt: skip


def organizer_ids(session: Session, trip_id: int) -> list[int]:
    """The owner and the accepted organizers of the trip, owner first."""
    rows = session.execute(
        select(TripCompanion.user_id)
        .where(
            TripCompanion.trip_id == trip_id,
            TripCompanion.status == CompanionStatus.accepted,
            TripCompanion.role.in_((CompanionRole.owner, CompanionRole.organizer)),
        )
        .order_by(TripCompanion.role.desc(), TripCompanion.id)  # 'owner' > 'organizer'
    )
    return list(rows.scalars())


def _completed_membership_changed(
    session: Session, trip: Trip, user_id: int, now: datetime
) -> None:
    """A member joined or left a completed trip: it counts for their badges (§4.7.1)."""
    if trip.status == TripStatus.completed:
        evaluate(session, user_id=user_id, metrics=TRIP_COMPLETED, now=now)


def save_membership(
    session: Session, row: TripCompanion, trip_id: int, *, access_lost: bool = False
) -> None:
    """Write the row; after the commit, open trip pages re-read the companions (and,
    when someone may have lost access, the details: their own tab then gets the 404)."""
    session.add(row)
    session.flush()
    trip_changed(session, trip_id, *((COMPANIONS, DETAILS) if access_lost else (COMPANIONS,)))


# --- invites -------------------------------------------------------------------------


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
    _completed_membership_changed(session, trip, actor.user_id, now)
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
    _completed_membership_changed(session, trip, user_id, now)
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
    _completed_membership_changed(session, trip, actor.user_id, now)


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
