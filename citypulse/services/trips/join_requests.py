"""Join requests (PRODUCT.md §4.6.5): asking to join a trip, and the organizers' answer.

- Public trips take requests; buddies-only trips from the owner's buddies; never
  cancelled or completed ones, nor a full one. One pending request per user; after a
  declined request no new one (the user may still be invited), and none after a
  removal. The request sends trip_join_request to the owner and organizers; the
  requester may withdraw it (the row goes).
- The owner or an organizer accepts (the requester becomes a participant, if a place is
  left) or declines; both send trip_join_response.

`join_refusal` is the one rule: the command raises it and the finder's cards and the
Companions tab show it, so "Request to join" is offered exactly when it would work.
Membership rows, notifications and the cap are `companions`' helpers.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from citypulse.models import TripCompanion
from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    NotificationType,
    TripStatus,
    Visibility,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied
from citypulse.services.policies import require_active_actor
from citypulse.services.social.buddies import optional_text
from citypulse.services.social.graph import are_buddies
from citypulse.services.trips.access import (
    TripAccess,
    count_trip_change,
    require_organizer,
    trip_for_viewer,
)
from citypulse.services.trips.events import COMPANIONS, DETAILS, trip_changed
from citypulse.services.trips.membership import (
    FULL,
    MESSAGE_LENGTH,
    is_full,
    membership,
    organizer_ids,
    require_seat,
    save_membership,
    tell,
    trip_url,
)

JOIN_CLOSED = "You can no longer join this trip"
JOIN_NOT_OPEN = "Only public trips, or buddies-only trips of your buddies, take join requests"
JOIN_PENDING = "Your request to join is already pending"
JOIN_INVITED = "You are already invited: accept the invitation instead"
JOIN_MEMBER = "You are already a member of this trip"
JOIN_DECLINED = "Your request to join this trip was declined"
JOIN_REMOVED = "You were removed from this trip"
NO_REQUEST = "There is no pending request from this user"
NO_OWN_REQUEST = "You have no pending request to join this trip"


def join_refusal(
    session: Session, access: TripAccess, row: TripCompanion | None, *, full: bool
) -> str | None:
    """Why the viewer may not ask to join this trip now (None: they may).

    Shared by `join_request` and the finder's cards, so a card never offers what the
    command refuses.
    """
    trip, viewer_id = access.trip, access.viewer_id
    if viewer_id is None or trip.owner_id == viewer_id:
        return JOIN_MEMBER
    if row is not None:
        refusal = {
            CompanionStatus.requested: JOIN_PENDING,
            CompanionStatus.invited: JOIN_INVITED,
            CompanionStatus.accepted: JOIN_MEMBER,
            CompanionStatus.removed: JOIN_REMOVED,
        }.get(CompanionStatus(row.status))
        if refusal is not None:
            return refusal
        if row.status == CompanionStatus.declined and row.invited_by_id is None:
            return JOIN_DECLINED  # their request was declined (a declined invite has an inviter)
    if access.is_removed or trip.status in (TripStatus.cancelled, TripStatus.completed):
        return JOIN_CLOSED
    if trip.visibility == Visibility.private or (
        trip.visibility == Visibility.friends_only
        and not are_buddies(session, viewer_id, trip.owner_id)
    ):
        return JOIN_NOT_OPEN
    if full:
        return FULL
    return None


def join_request(
    session: Session, *, actor: Viewer, trip_id: int, message: str = "", now: datetime
) -> None:
    """Ask to join the trip with an optional message; tells the owner and organizers.

    Raises:
        PermissionDenied: not an active user; not a public trip (or a buddies-only trip of
            a buddy).
        NotFound: the trip is hidden from the actor.
        Conflict: already pending, invited or a member; declined before; removed before;
            a cancelled or completed trip; the trip is full.
        ValidationFailed: `message` too long or with control characters (field "message").
    """
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    text = optional_text("message", "Message", message, MESSAGE_LENGTH)
    count_trip_change(session, actor, now)
    trip = access.trip
    row = membership(session, trip.id, actor.user_id)
    refusal = join_refusal(session, access, row, full=is_full(session, trip.id))
    if refusal == JOIN_NOT_OPEN:
        raise PermissionDenied(refusal)
    if refusal is not None:
        raise Conflict(refusal)
    row = row or TripCompanion(trip_id=trip.id, user_id=actor.user_id)
    row.role, row.status = CompanionRole.participant, CompanionStatus.requested
    row.invited_by_id, row.message, row.responded_at = None, text, None
    save_membership(session, row, trip.id)
    note = f" “{text}”" if text else ""
    tell(session, NotificationType.trip_join_request, actor=actor, trip=trip,
          recipient_ids=organizer_ids(session, trip.id),
          title="{name} asked to join “{trip}”",
          message="{name} (@{username}) would like to join the trip “{trip}”." + note,
          url=trip_url(trip.id, "companions"), now=now)  # fmt: skip


def join_cancel(session: Session, *, actor: Viewer, trip_id: int, now: datetime) -> None:
    """Withdraw the actor's pending request to join (the row goes; nobody is told).

    Raises:
        PermissionDenied: not an active user.
        NotFound: the trip is hidden, or the actor has no pending request to it.
    """
    require_active_actor(session, actor)
    access = trip_for_viewer(session, actor, trip_id, lock=True)
    count_trip_change(session, actor, now)
    row = membership(session, access.trip.id, actor.user_id)
    if row is None or row.status != CompanionStatus.requested:
        raise NotFound(NO_OWN_REQUEST)
    session.delete(row)
    session.flush()
    trip_changed(session, access.trip.id, COMPANIONS, DETAILS)


def _pending_request(session: Session, trip_id: int, user_id: int) -> TripCompanion:
    row = membership(session, trip_id, user_id)
    if row is None or row.status != CompanionStatus.requested:
        raise NotFound(NO_REQUEST)
    return row


def join_accept(
    session: Session, *, actor: Viewer, trip_id: int, user_id: int, now: datetime
) -> None:
    """The owner or an organizer accepts `user_id`'s request: they become a participant.

    Raises:
        PermissionDenied: not an organizer of the trip.
        NotFound: the trip is hidden; no pending request from `user_id`.
        Conflict: the trip is full.
    """
    trip = require_organizer(session, actor, trip_id).trip
    count_trip_change(session, actor, now)
    row = _pending_request(session, trip.id, user_id)
    require_seat(session, trip.id)
    row.status, row.role, row.responded_at = (
        CompanionStatus.accepted,
        CompanionRole.participant,
        now,
    )
    save_membership(session, row, trip.id)
    tell(session, NotificationType.trip_join_response, actor=actor, trip=trip,
          recipient_ids=[user_id], title="You joined “{trip}”",
          message="{name} (@{username}) accepted your request to join “{trip}”.",
          url=trip_url(trip.id), now=now)  # fmt: skip


def join_decline(
    session: Session, *, actor: Viewer, trip_id: int, user_id: int, now: datetime
) -> None:
    """The owner or an organizer declines `user_id`'s request (they cannot ask again).

    Raises:
        PermissionDenied: not an organizer of the trip.
        NotFound: the trip is hidden; no pending request from `user_id`.
    """
    trip = require_organizer(session, actor, trip_id).trip
    count_trip_change(session, actor, now)
    row = _pending_request(session, trip.id, user_id)
    row.status, row.responded_at = CompanionStatus.declined, now
    save_membership(session, row, trip.id, access_lost=True)
    tell(session, NotificationType.trip_join_response, actor=actor, trip=trip,
          recipient_ids=[user_id], title="Your request to join “{trip}” was declined",
          message="{name} (@{username}) declined your request to join “{trip}”.",
          url=trip_url(trip.id), now=now)  # fmt: skip
