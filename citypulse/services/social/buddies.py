"""Buddy requests and connections (PRODUCT.md §4.5 items 1–5, §4.11 social rows).

One `buddy_connections` row per unordered pair; a new request after a cancel, a removal
or a decline reuses it (requester and addressee follow the latest request). Every
command takes a transaction-scoped advisory lock on the pair first, so two requests
crossing each other, or a request racing a block, are decided one after the other.

Refusals, in the order they are checked (`request_refusal`, shared with the profile
button in `relationship.py`):
- the other user is missing, not active, or blocked the actor → `NotFound` (their
  profile is a 404 for the actor too, so nothing more is revealed);
- yourself; the actor blocked them (unblock first) → `PermissionDenied`;
- "You are already buddies" → `Conflict`;
- "A request is already pending" → `PendingRequest` (`from_them` True when the other
  user sent it: the UI offers Accept instead);
- "Accept buddy requests" is off (`Profile.buddy_requests_enabled`) → `PermissionDenied`;
- the actor's last request to them was declined less than 7 days ago → `CoolingDown`.

Limits (§5.2): 20 new requests per user per day (`BUDDY_REQUESTS_PER_USER`, counted only
for requests that are made), 50 other buddy and block actions per 15 min.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from citypulse.models import Block, BuddyConnection, Profile, User
from citypulse.models.enums import AccountStatus, BuddyStatus, NotificationType
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate_users
from citypulse.services.achievements.metrics import BUDDIES
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceError,
    ValidationFailed,
    wait_phrase,
)
from citypulse.services.feed.ahead import rank_after_commit
from citypulse.services.notifications.create import notify
from citypulse.services.policies import require_active_actor
from citypulse.services.social.events import BuddiesChanged

MESSAGE_LENGTH = 300
COOL_DOWN = timedelta(days=7)
BUDDY_REQUESTS_PER_USER = rate_limits.Limit("buddy-request", 20, timedelta(days=1))
BUDDY_ACTIONS_PER_USER = rate_limits.Limit("buddy-action", 50, timedelta(minutes=15))

USER_NOT_FOUND = "User not found"
NOT_YOURSELF = "You cannot send a buddy request to yourself"
UNBLOCK_FIRST = "Unblock this user before sending a buddy request"
ALREADY_BUDDIES = "You are already buddies"
ALREADY_PENDING = "A request is already pending"
REQUESTS_OFF = "This user is not accepting buddy requests"
NO_REQUEST_FROM_THEM = "There is no pending request from this user"
NO_REQUEST_TO_THEM = "You have no pending request to this user"
ONLY_ADDRESSEE = "Only the person who received the request can answer it"
NOT_BUDDIES = "You are not buddies"

REQUESTS_URL = "/buddies?tab=requests"
SENT_URL = "/buddies?tab=sent"


class PendingRequest(Conflict):
    """ "A request is already pending" (either direction).

    `from_them` is True when the other user sent it: the UI offers Accept instead.
    """

    def __init__(self, *, from_them: bool) -> None:
        super().__init__(ALREADY_PENDING)
        self.from_them = from_them


class CoolingDown(Conflict):
    """The actor's last request to this user was declined less than 7 days ago.

    `retry_at` is when they may ask again; the message says how long that is.
    """

    def __init__(self, retry_at: datetime, now: datetime) -> None:
        wait = wait_phrase((retry_at - now).total_seconds())
        super().__init__(f"Your last request was declined. You can ask again in {wait}")
        self.retry_at = retry_at


@dataclass(frozen=True)
class OtherUser:
    """The other user of a pair, as the buddy rules need them."""

    id: int
    username: str
    full_name: str
    active: bool
    requests_enabled: bool


@dataclass(frozen=True)
class Pair:
    """Everything between the actor and another user, read in the command's transaction."""

    actor_id: int | None  # None: a visitor
    other: OtherUser | None
    connection: BuddyConnection | None
    blocked_by_me: bool
    blocked_by_them: bool

    @property
    def hidden(self) -> bool:
        """The other user's profile is a 404 for the actor (missing, inactive, blocked us)."""
        return self.other is None or not self.other.active or self.blocked_by_them

    def status(self, status: BuddyStatus, *, requester_id: int | None = None) -> bool:
        """The connection has `status` (and, if given, was requested by `requester_id`)."""
        row = self.connection
        return (
            row is not None
            and row.status == status
            and (requester_id is None or row.requester_id == requester_id)
        )


def pair_condition(a: int, b: int) -> sa.ColumnElement[bool]:
    """SQL on `BuddyConnection`: the row of the unordered pair (a, b)."""
    return or_(
        and_(BuddyConnection.requester_id == a, BuddyConnection.addressee_id == b),
        and_(BuddyConnection.requester_id == b, BuddyConnection.addressee_id == a),
    )


def lock_pair(session: Session, a: int, b: int) -> None:
    """Serialize every buddy and block command on the pair until the transaction ends."""
    low, high = sorted((a, b))
    session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"buddy-pair:{low}:{high}"},
    )


def read_pair(session: Session, actor_id: int | None, user_id: int, *, lock: bool = False) -> Pair:
    """The pair (actor, user_id) as stored now; `lock` first takes the pair's lock.

    A visitor (`actor_id` None) has no connection and no blocks.
    """
    if lock and actor_id is not None:
        lock_pair(session, actor_id, user_id)
    user = session.execute(
        select(
            User.id,
            User.username,
            User.full_name,
            and_(
                User.account_status == AccountStatus.active, User.email_verified_at.is_not(None)
            ).label("active"),
            func.coalesce(Profile.buddy_requests_enabled, True).label("requests_enabled"),
        )
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id == user_id)
    ).first()
    if actor_id is None:
        other = None if user is None else OtherUser(*user)
        return Pair(None, other, None, blocked_by_me=False, blocked_by_them=False)
    connection = session.execute(
        select(BuddyConnection).where(pair_condition(actor_id, user_id))
    ).scalar_one_or_none()
    blockers = set(
        session.execute(
            select(Block.blocker_id).where(
                or_(
                    and_(Block.blocker_id == actor_id, Block.blocked_id == user_id),
                    and_(Block.blocker_id == user_id, Block.blocked_id == actor_id),
                )
            )
        ).scalars()
    )
    return Pair(
        actor_id=actor_id,
        other=None if user is None else OtherUser(*user),
        connection=connection,
        blocked_by_me=actor_id in blockers,
        blocked_by_them=user_id in blockers,
    )


def request_refusal(pair: Pair, now: datetime) -> ServiceError | None:
    """Why the actor may not send the other user a request now (None: they may)."""
    if pair.other is not None and pair.other.id == pair.actor_id:
        return PermissionDenied(NOT_YOURSELF)
    if pair.hidden:
        return NotFound(USER_NOT_FOUND)
    if pair.blocked_by_me:
        return PermissionDenied(UNBLOCK_FIRST)
    if pair.status(BuddyStatus.accepted):
        return Conflict(ALREADY_BUDDIES)
    if pair.status(BuddyStatus.pending):
        return PendingRequest(from_them=not pair.status(BuddyStatus.pending,
                                                        requester_id=pair.actor_id))  # fmt: skip
    assert pair.other is not None  # not hidden
    if not pair.other.requests_enabled:
        return PermissionDenied(REQUESTS_OFF)
    row = pair.connection
    if pair.status(BuddyStatus.declined, requester_id=pair.actor_id) and row is not None:
        retry_at = (row.responded_at or row.requested_at or now) + COOL_DOWN
        if retry_at > now:
            return CoolingDown(retry_at, now)
    return None


def buddy_request(
    session: Session, *, actor: Viewer, user_id: int, message: str = "", now: datetime
) -> None:
    """Send `user_id` a buddy request with an optional message (≤300); notifies them.

    Reuses the pair's row after a cancel, removal or decline (the 7-day cool-down applies
    only to the requester whose request was declined).

    Raises:
        PermissionDenied: not an active user; yourself; you blocked them; their "Accept
            buddy requests" is off.
        NotFound: the user is missing, not active, or blocked you.
        Conflict: "You are already buddies"; `PendingRequest` ("A request is already
            pending", `from_them`); `CoolingDown` (declined less than 7 days ago).
        ValidationFailed: `message` is too long or holds control characters.
        RateLimited: more than 20 new requests in the day.
    """
    require_active_actor(session, actor)
    text = _message(message)
    if user_id == actor.user_id:
        raise PermissionDenied(NOT_YOURSELF)
    pair = read_pair(session, actor.user_id, user_id, lock=True)
    refusal = request_refusal(pair, now)
    if refusal is not None:
        raise refusal
    rate_limits.hit(session, BUDDY_REQUESTS_PER_USER, str(actor.user_id), now)
    row = pair.connection or BuddyConnection()
    row.requester_id, row.addressee_id = actor.user_id, user_id
    row.status = BuddyStatus.pending
    row.request_message, row.response_message = text, None
    row.requested_at, row.responded_at = now, None
    session.add(row)
    session.flush()
    notify_buddy(session, NotificationType.buddy_request, actor=actor, recipient_id=user_id,
                 note=text, now=now)  # fmt: skip
    publish_changed(session, actor.user_id, user_id)


def buddy_accept(session: Session, *, actor: Viewer, user_id: int, now: datetime) -> None:
    """Accept the pending request `user_id` sent the actor; notifies them (buddy_accepted).

    Raises:
        PermissionDenied: not an active user; the actor sent that request themselves.
        NotFound: no pending request from `user_id` (or they are hidden from the actor).
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    row = _incoming_request(session, actor, user_id, now)
    row.status, row.responded_at = BuddyStatus.accepted, now
    session.add(row)
    rank_after_commit(session, actor.user_id, user_id)
    evaluate_users(session, affected=dict.fromkeys((actor.user_id, user_id), BUDDIES), now=now)
    notify_buddy(session, NotificationType.buddy_accepted, actor=actor, recipient_id=user_id,
                 now=now)  # fmt: skip
    publish_changed(session, actor.user_id, user_id)


def buddy_decline(
    session: Session, *, actor: Viewer, user_id: int, message: str = "", now: datetime
) -> None:
    """Decline the pending request `user_id` sent the actor, with an optional message.

    Notifies them (buddy_declined); they may ask again after 7 days.

    Raises:
        PermissionDenied: not an active user; the actor sent that request themselves.
        NotFound: no pending request from `user_id` (or they are hidden from the actor).
        ValidationFailed: `message` is too long or holds control characters.
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    text = _message(message)
    row = _incoming_request(session, actor, user_id, now)
    row.status, row.responded_at, row.response_message = BuddyStatus.declined, now, text
    session.add(row)
    notify_buddy(session, NotificationType.buddy_declined, actor=actor, recipient_id=user_id,
                 note=text, now=now)  # fmt: skip
    publish_changed(session, actor.user_id, user_id)


def buddy_cancel(session: Session, *, actor: Viewer, user_id: int, now: datetime) -> None:
    """Withdraw the actor's pending request to `user_id` (it leaves their Requests tab).

    Nobody is notified; the actor may ask again at once.

    Raises:
        PermissionDenied: not an active user.
        NotFound: the actor has no pending request to `user_id`.
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    pair = _acting_on_pair(session, actor, user_id, now)
    if not pair.status(BuddyStatus.pending, requester_id=actor.user_id):
        raise NotFound(NO_REQUEST_TO_THEM)
    _close(session, pair, BuddyStatus.cancelled, now)


def buddy_remove(session: Session, *, actor: Viewer, user_id: int, now: datetime) -> None:
    """End the buddy connection with `user_id` (either side). Nobody is notified.

    Access that depended on it (friends_only content) ends with this transaction.

    Raises:
        PermissionDenied: not an active user.
        NotFound: the two are not buddies.
        RateLimited: more than 50 buddy actions in 15 minutes.
    """
    pair = _acting_on_pair(session, actor, user_id, now)
    if not pair.status(BuddyStatus.accepted):
        raise NotFound(NOT_BUDDIES)
    _close(session, pair, BuddyStatus.removed, now)
    rank_after_commit(session, actor.user_id, user_id)
    evaluate_users(session, affected=dict.fromkeys((actor.user_id, user_id), BUDDIES), now=now)


# §4.11: title, message (naming the actor) and link of each buddy notification.
_NOTICES = {
    NotificationType.buddy_request: (
        "{name} sent you a buddy request",
        "{name} (@{username}) wants to be your travel buddy.",
        REQUESTS_URL,
    ),
    NotificationType.buddy_accepted: (
        "{name} accepted your buddy request",
        "You and {name} (@{username}) are now travel buddies.",
        "/profile/{username}",
    ),
    NotificationType.buddy_declined: (
        "{name} declined your buddy request",
        "{name} (@{username}) declined your buddy request.",
        SENT_URL,
    ),
}


def notify_buddy(
    session: Session,
    kind: NotificationType,
    *,
    actor: Viewer,
    recipient_id: int,
    note: str | None = None,
    now: datetime,
    email: bool = True,
) -> int | None:
    """Send `recipient_id` the buddy notification `kind` from `actor`, quoting `note`.

    `notify()` creates nothing across a block or to an account that may not receive it.
    """
    title, message, url = (
        text.format(name=actor.full_name, username=actor.username) for text in _NOTICES[kind]
    )
    if note:
        message = f"{message} “{note}”"
    return notify(session, recipient_id=recipient_id, type=kind, actor=actor, title=title,
                  message=message, target_type="user", target_id=actor.user_id,
                  action_url=url, now=now, email=email)  # fmt: skip


def optional_text(field: str, label: str, value: str | None, limit: int) -> str | None:
    """A trimmed optional free text (None when empty).

    Raises:
        ValidationFailed: over `limit` characters, or control characters (on `field`).
    """
    text = (value or "").strip()
    problem = free_text_problem(label, text)
    if problem is None and len(text) > limit:
        problem = f"{label} must be at most {limit} characters"
    if problem is not None:
        raise ValidationFailed({field: problem})
    return text or None


def _message(message: str | None) -> str | None:
    """The request or reply message (field "message", at most 300 characters)."""
    return optional_text("message", "Message", message, MESSAGE_LENGTH)


def _acting_on_pair(session: Session, actor: Viewer, user_id: int, now: datetime) -> Pair:
    """The checks every answer, cancel and removal starts with; the pair, locked."""
    require_active_actor(session, actor)
    rate_limits.hit(session, BUDDY_ACTIONS_PER_USER, str(actor.user_id), now)
    return read_pair(session, actor.user_id, user_id, lock=True)


def _incoming_request(
    session: Session, actor: Viewer, user_id: int, now: datetime
) -> BuddyConnection:
    """The pending request `user_id` sent the actor, which only the actor may answer."""
    pair = _acting_on_pair(session, actor, user_id, now)
    if pair.status(BuddyStatus.pending, requester_id=actor.user_id):
        raise PermissionDenied(ONLY_ADDRESSEE)
    blocked = pair.hidden or pair.blocked_by_me
    if blocked or not pair.status(BuddyStatus.pending, requester_id=user_id):
        raise NotFound(NO_REQUEST_FROM_THEM)
    assert pair.connection is not None
    return pair.connection


def _close(session: Session, pair: Pair, status: BuddyStatus, now: datetime) -> None:
    """Cancel or remove: the row stays (for reuse), so a new request may follow at once."""
    row = pair.connection
    assert row is not None
    row.status, row.responded_at = status, now
    session.add(row)
    publish_changed(session, row.requester_id, row.addressee_id)


def publish_changed(session: Session, *user_ids: int) -> None:
    """After commit, tell these users' tabs that their buddies or blocks changed."""
    publish_after_commit(session, BuddiesChanged(tuple(user_ids)))
