"""Blocking and unblocking (PRODUCT.md §4.5 item 6).

A block is one `blocks` row (blocker → blocked); hiding applies both ways and is
enforced where content is read, by `social.graph.blocked_between` (one rule). Blocking
also ends what the two had going on, in the same transaction:
- the buddy connection and any pending request, in either direction (a declined,
  cancelled or removed row stays: it only remembers the 7-day cool-down);
- trip invites and join requests between the two: pending `trip_companions` rows
  (invited / requested) of one of them on a trip the other owns or organizes, or that
  the other sent.
Unblocking restores visibility only, never the connection. Both commands are idempotent:
blocking twice or unblocking someone not blocked changes nothing and returns False.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import User
from citypulse.models.enums import BuddyStatus, CompanionRole, CompanionStatus
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.feed.ahead import rank_after_commit
from citypulse.services.policies import require_active_actor
from citypulse.services.social.buddies import (
    BUDDY_ACTIONS_PER_USER,
    USER_NOT_FOUND,
    lock_pair,
    optional_text,
    publish_changed,
)

REASON_LENGTH = 100
NOT_YOURSELF = "You cannot block yourself"

_ADD_BLOCK = sa.text(
    "INSERT INTO blocks (blocker_id, blocked_id, reason) VALUES (:blocker, :blocked, :reason) "
    "ON CONFLICT (blocker_id, blocked_id) DO NOTHING RETURNING id"
)
_DROP_CONNECTION = sa.text(
    "DELETE FROM buddy_connections WHERE status IN (:pending, :accepted) AND ("
    "(requester_id = :a AND addressee_id = :b) OR (requester_id = :b AND addressee_id = :a))"
)
# A pending membership of one of the two on a trip the other owns or organizes (as an
# accepted member), or that the other sent as an invite.
_DROP_TRIP_INVITES = sa.text(
    """
    DELETE FROM trip_companions c
    WHERE c.status IN (:invited, :requested) AND (
      (c.user_id = :a AND (c.invited_by_id = :b OR EXISTS (
         SELECT 1 FROM trip_companions m WHERE m.trip_id = c.trip_id AND m.user_id = :b
         AND m.status = :accepted_member AND m.role IN (:owner, :organizer))))
      OR
      (c.user_id = :b AND (c.invited_by_id = :a OR EXISTS (
         SELECT 1 FROM trip_companions m WHERE m.trip_id = c.trip_id AND m.user_id = :a
         AND m.status = :accepted_member AND m.role IN (:owner, :organizer))))
    )
    """
)
_UNBLOCK = sa.text(
    "DELETE FROM blocks WHERE blocker_id = :blocker AND blocked_id = :blocked RETURNING id"
)


def block_user(
    session: Session, *, actor: Viewer, user_id: int, reason: str = "", now: datetime
) -> bool:
    """Block `user_id` (anyone but yourself); False when they were already blocked.

    Deletes the buddy connection and pending requests both ways and the trip invites and
    join requests between the two (see the module docstring).

    Raises:
        PermissionDenied: not an active user, or yourself.
        NotFound: no such user.
        ValidationFailed: `reason` over 100 characters or with control characters.
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    require_active_actor(session, actor)
    text = optional_text("reason", "Reason", reason, REASON_LENGTH)
    if user_id == actor.user_id:
        raise PermissionDenied(NOT_YOURSELF)
    rate_limits.hit(session, BUDDY_ACTIONS_PER_USER, str(actor.user_id), now)
    lock_pair(session, actor.user_id, user_id)
    if session.get(User, user_id) is None:
        raise NotFound(USER_NOT_FOUND)
    added = session.execute(
        _ADD_BLOCK, {"blocker": actor.user_id, "blocked": user_id, "reason": text}
    ).first()
    if added is None:
        return False
    pair = {"a": actor.user_id, "b": user_id}
    session.execute(
        _DROP_CONNECTION,
        {**pair, "pending": BuddyStatus.pending.value, "accepted": BuddyStatus.accepted.value},
    )
    session.execute(
        _DROP_TRIP_INVITES,
        {
            **pair,
            "invited": CompanionStatus.invited.value,
            "requested": CompanionStatus.requested.value,
            "accepted_member": CompanionStatus.accepted.value,
            "owner": CompanionRole.owner.value,
            "organizer": CompanionRole.organizer.value,
        },
    )
    publish_changed(session, actor.user_id, user_id)
    rank_after_commit(session, actor.user_id, user_id)
    return True


def unblock_user(session: Session, *, actor: Viewer, user_id: int, now: datetime) -> bool:
    """Lift the actor's block of `user_id`; False when there was none.

    Visibility returns (unless `user_id` blocks the actor too); the connection does not.

    Raises:
        PermissionDenied: not an active user.
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    require_active_actor(session, actor)
    rate_limits.hit(session, BUDDY_ACTIONS_PER_USER, str(actor.user_id), now)
    lock_pair(session, actor.user_id, user_id)
    removed = session.execute(_UNBLOCK, {"blocker": actor.user_id, "blocked": user_id}).first()
    if removed is None:
        return False
    publish_changed(session, actor.user_id, user_id)
    rank_after_commit(session, actor.user_id, user_id)
    return True
