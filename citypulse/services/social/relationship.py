"""The buddy button of a profile: where the viewer stands with another user (§2 profile).

Add buddy → Request sent (Cancel) → Respond → Buddies ✓ (Remove); Block / Unblock. The
reasons a request would be refused come from `buddies.request_refusal`, the rule
`buddy_request` itself applies, so the button never offers what the command refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlmodel import Session

from citypulse.models.enums import BuddyStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.policies import SIGN_IN, require_active_actor
from citypulse.services.social.buddies import USER_NOT_FOUND, read_pair, request_refusal

RelationshipState = Literal["none", "sent", "received", "buddies", "blocked_by_me"]


@dataclass(frozen=True)
class Relationship:
    """The viewer's standing with another user.

    `state`: "none", "sent" (the viewer's request is pending: Cancel), "received" (theirs
    is: Accept / Decline), "buddies" (Remove), "blocked_by_me" (Unblock).
    `requests_enabled`: the other user's "Accept buddy requests" setting.
    `can_request`: Add buddy would be accepted now; otherwise `refusal` says why (the
    exact message `buddy_request` would give), e.g. requests off or the cool-down.
    `message`: the pending request's message ("sent" / "received"), else "".
    """

    state: RelationshipState
    requests_enabled: bool
    can_request: bool
    refusal: str
    message: str = ""


def relationship(
    session: Session, *, viewer: Viewer | None, user_id: int, now: datetime | None = None
) -> Relationship:
    """How `viewer` stands with `user_id` (a visitor: state "none", cannot request).

    `now` (default: the current time) decides the 7-day cool-down.

    Raises:
        NotFound: the user is missing, not active or blocked the viewer — their profile
            is a 404 for this viewer (§4.2.2), so no button is shown either.
    """
    when = now or datetime.now(UTC)
    pair = read_pair(session, viewer.user_id if viewer else None, user_id)
    if pair.hidden:
        raise NotFound(USER_NOT_FOUND)
    assert pair.other is not None
    if viewer is None:
        return Relationship("none", pair.other.requests_enabled, False, SIGN_IN)
    refusal = request_refusal(pair, when)
    if refusal is None:
        refusal = _actor_refusal(session, viewer)
    row = pair.connection
    message = (row.request_message or "") if row is not None else ""
    state: RelationshipState = "none"
    if pair.blocked_by_me:
        state = "blocked_by_me"
    elif pair.status(BuddyStatus.accepted):
        state = "buddies"
    elif pair.status(BuddyStatus.pending):
        sent = pair.status(BuddyStatus.pending, requester_id=viewer.user_id)
        state = "sent" if sent else "received"
    return Relationship(
        state=state,
        requests_enabled=pair.other.requests_enabled,
        can_request=refusal is None,
        refusal="" if refusal is None else refusal.message,
        message=message if state in ("sent", "received") else "",
    )


def _actor_refusal(session: Session, viewer: Viewer) -> PermissionDenied | None:
    """The viewer's own standing (restricted, unverified) as a refusal, or None."""
    try:
        require_active_actor(session, viewer)
    except PermissionDenied as refusal:
        return refusal
    return None
